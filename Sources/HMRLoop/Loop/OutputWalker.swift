// Walks the out dir and hashes its files into a module map, reusing the hash of a
// file whose inode, size and times have not changed since the last walk.
//
// Runs on libuv's thread pool, one walk at a time; the cache is touched by no one
// else while a walk runs. A file modified within the same clock tick as the walk
// that saw it is not trusted next time ("racy" entries, as git calls them).

import Glibc
import HMRCore

public final class OutputWalker: @unchecked Sendable {
    public struct Root: Sendable {
        /// Absolute path of the folder.
        public var path: String
        /// Prefix for its keys in the module map ("" for a single out dir).
        public var keyPrefix: String
        public init(path: String, keyPrefix: String) { self.path = path; self.keyPrefix = keyPrefix }
    }

    public struct Result: Sendable {
        public var modules: ModuleMap
        public var missingRoots: [String]
        public var filesHashed: Int
    }

    private struct Stamp: Equatable {
        var device: UInt64, inode: UInt64, size: Int64, mtime: timespec, ctime: timespec
        static func == (a: Stamp, b: Stamp) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size
                && a.mtime.tv_sec == b.mtime.tv_sec && a.mtime.tv_nsec == b.mtime.tv_nsec
                && a.ctime.tv_sec == b.ctime.tv_sec && a.ctime.tv_nsec == b.ctime.tv_nsec
        }
    }

    private let roots: [Root]
    private let ignore: IgnoreRules
    private var cache: [String: (stamp: Stamp, hash: String)] = [:]
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)

    /// Deepest folder nesting followed, so a symlink loop cannot recurse forever.
    static let maxDepth = 64

    public init(roots: [Root], ignore: IgnoreRules) {
        self.roots = roots
        self.ignore = ignore
    }

    deinit { chunk.deallocate() }

    /// Walks every root; blocking, so call it off the loop thread.
    public func walk() -> Result {
        var started = timespec()
        clock_gettime(CLOCK_REALTIME, &started)
        var entries: [String: String] = [:]
        var missing: [String] = []
        var hashed = 0
        var seen: [String: (stamp: Stamp, hash: String)] = [:]
        for root in roots {
            var info = stat()
            guard stat(root.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                missing.append(root.path)
                continue
            }
            walkFolder(root.path, relative: "", root: root, depth: 0) { absolute, key, stamp in
                let hash: String
                if let cached = cache[absolute], cached.stamp == stamp, !OutputWalker.isRacy(stamp, walkStart: started) {
                    hash = cached.hash
                } else if let fresh = hashFile(absolute) {
                    hash = fresh
                    hashed += 1
                } else {
                    return
                }
                seen[absolute] = (stamp, hash)
                entries[key] = hash
            }
        }
        cache = seen
        return Result(modules: ModuleMap(entries), missingRoots: missing, filesHashed: hashed)
    }

    private func walkFolder(_ path: String, relative: String, root: Root, depth: Int,
                            visit: (String, String, Stamp) -> Void) {
        guard depth < OutputWalker.maxDepth, let dir = opendir(path) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            // Dot-files are never part of the output (and never served).
            if name.hasPrefix(".") { continue }
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            if ignore.ignores(childRelative) { continue }
            let childPath = path + "/" + name
            var info = stat()
            guard stat(childPath, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                // A linked folder is followed only if it is not a link (loops); files behind links are fine.
                var linkInfo = stat()
                if lstat(childPath, &linkInfo) == 0, (linkInfo.st_mode & S_IFMT) == S_IFLNK { continue }
                walkFolder(childPath, relative: childRelative, root: root, depth: depth + 1, visit: visit)
            case S_IFREG:
                let stamp = Stamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                                  mtime: info.st_mtim, ctime: info.st_ctim)
                visit(childPath, root.keyPrefix + childRelative, stamp)
            default:
                continue
            }
        }
    }

    private func hashFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let hasher = StreamingContentHash()
        while true {
            let n = read(fd, chunk.baseAddress, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        }
        return ContentHash.hex(hasher.finish())
    }

    /// Modified less than a tick before the walk began: a later write in the same tick would look unchanged.
    private static func isRacy(_ stamp: Stamp, walkStart: timespec) -> Bool {
        let margin = 20_000_000 // 20 ms, above the kernel's timestamp granularity
        let walkNs = Int64(walkStart.tv_sec) * 1_000_000_000 + Int64(walkStart.tv_nsec)
        let modifiedNs = Int64(stamp.mtime.tv_sec) * 1_000_000_000 + Int64(stamp.mtime.tv_nsec)
        let changedNs = Int64(stamp.ctime.tv_sec) * 1_000_000_000 + Int64(stamp.ctime.tv_nsec)
        return max(modifiedNs, changedNs) >= walkNs - Int64(margin)
    }
}

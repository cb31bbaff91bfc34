// Walks the polled folder trees with readdir and lstat, and tells what changed
// since the previous walk (the comparing itself is PollSnapshot's, in the core).
//
// Blocking, so PollWatcher runs it on libuv's thread pool, one walk at a time: the
// snapshots kept here are never touched by two threads at once. Links are recorded,
// never followed (as the inotify watcher treats them), so a link loop cannot trap
// a walk; ignored folders and the out dir are not even opened, so node_modules
// costs nothing.

import Glibc
import HMRCore

final class PollTreeWalker: @unchecked Sendable {
    struct Result: Sendable {
        /// Per root, in the order given: changed paths relative to it, sorted.
        var changes: [[String]]
        /// Roots found missing by this walk that were there at the one before.
        var vanished: [Int]
    }

    /// How close to the walk's start a file's times must be for its change to wait a
    /// walk (see PollSnapshot): above the kernel's timestamp tick (1–10 ms), and what
    /// OutputWalker uses for the same race.
    static let racyMargin: Int64 = 20_000_000

    private let roots: [String]
    private let filters: [PollFilter]
    private var snapshots: [PollSnapshot]
    private var present: [Bool]

    /// `roots` are absolute real paths; `excluded` are absolute folders (the out dir).
    init(roots: [String], ignore: IgnoreRules, excluded: [String]) {
        self.roots = roots
        filters = roots.map { PollFilter(ignore: ignore, root: $0, excludedFolders: excluded) }
        snapshots = Array(repeating: PollSnapshot(), count: roots.count)
        present = Array(repeating: true, count: roots.count)
    }

    /// Walks every root. The baseline walk only records; later walks report.
    func walk(baseline: Bool) -> Result {
        var started = timespec()
        clock_gettime(CLOCK_REALTIME, &started)
        let walkStarted = FileTime(seconds: Int64(started.tv_sec), nanoseconds: Int64(started.tv_nsec))
        var result = Result(changes: [], vanished: [])
        for index in roots.indices {
            let walked = walkTree(roots[index], filter: filters[index])
            if walked == nil && present[index] { result.vanished.append(index) }
            present[index] = walked != nil
            let snapshot = PollSnapshot(entries: walked ?? [:])
            if baseline {
                snapshots[index] = snapshot
                result.changes.append([])
            } else {
                let next = snapshots[index].advanced(to: snapshot, walkStarted: walkStarted,
                                                     racyMargin: PollTreeWalker.racyMargin)
                snapshots[index] = next.snapshot
                result.changes.append(next.changed)
            }
        }
        return result
    }

    /// Every admitted path below `root` with its stamp; nil when the root is not a folder (any more).
    private func walkTree(_ root: String, filter: PollFilter) -> [String: PollStamp]? {
        var info = stat()
        guard lstat(root, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        var entries: [String: PollStamp] = [:]
        // A stack rather than recursion: a deep tree cannot exhaust a pool thread's stack.
        var pending: [(absolute: String, relative: String)] = [(root, "")]
        while let (folder, relative) = pending.popLast() {
            guard let dir = opendir(folder) else {
                // Gone between its lstat and now: drop it so it reads as removed, with all it held.
                if relative.isEmpty { return nil }
                if errno == ENOENT || errno == ENOTDIR { entries[relative] = nil }
                continue
            }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: &entry.pointee.d_name) {
                    String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
                }
                if name == "." || name == ".." { continue }
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                guard filter.admits(childRelative) else { continue }
                let child = folder + "/" + name
                // A file deleted since readdir named it is simply not recorded: it reads as removed.
                guard lstat(child, &info) == 0 else { continue }
                let stamp = PollTreeWalker.stamp(info)
                entries[childRelative] = stamp
                if stamp.isFolder { pending.append((child, childRelative)) }
            }
        }
        return entries
    }

    private static func stamp(_ info: stat) -> PollStamp {
        PollStamp(isFolder: (info.st_mode & S_IFMT) == S_IFDIR, device: UInt64(info.st_dev),
                  inode: UInt64(info.st_ino), size: Int64(info.st_size),
                  modified: FileTime(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec)),
                  changed: FileTime(seconds: Int64(info.st_ctim.tv_sec), nanoseconds: Int64(info.st_ctim.tv_nsec)))
    }
}

// Walks the out dir and hashes its files into a module map, reusing the hash of a
// file whose inode, size and times have not changed since the last walk.
//
// Runs on libuv's thread pool, one walk at a time; the cache is touched by no one
// else while a walk runs. Each folder keeps its last listing (OutputFolder), so an
// unchanged file costs one fstatat relative to its folder and a comparison; a walk
// of many files is shared between a few threads (WalkThreads), as those stat calls
// are nearly all of its time. The map is the last walk's with this walk's changes
// applied, so its order and encodings carry over (ModuleMap.updating).

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

    /// Deepest folder nesting followed, so a symlink loop cannot recurse forever.
    static let maxDepth = 64
    /// Threads of one walk at most: beyond a few, the stat calls contend in the kernel.
    static let maxThreads = 4
    /// Files at the last walk below which one thread walks alone: starting others
    /// (tens of microseconds each) would cost more than sharing a short walk saves.
    static let parallelFiles = 1_000

    private let roots: [Root]
    private let ignore: IgnoreRules
    private let folders: [OutputFolder]
    private let scratch: [WalkScratch]
    /// The walks' maps, each made from the last.
    private var maps = ModuleMapSeries()
    private var walked = false
    /// Files in the folders' caches: the map's size, unless two keys collide.
    private var files = 0
    /// Two roots whose prefixes nest (`--watch src --watch src/css`) can give one key
    /// twice; then each walk builds its map afresh.
    private let keysCanCollide: Bool

    public init(roots: [Root], ignore: IgnoreRules) {
        self.roots = roots
        self.ignore = ignore
        folders = roots.map { OutputFolder(path: $0.path, keyPrefix: $0.keyPrefix, relative: "", depth: 0) }
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        scratch = (0..<min(max(cores, 1), OutputWalker.maxThreads)).map { _ in WalkScratch() }
        keysCanCollide = roots.indices.contains { a in
            roots.indices.contains { b in a != b && roots[b].keyPrefix.hasPrefix(roots[a].keyPrefix) }
        }
    }

    /// Walks every root; blocking, so call it off the loop thread.
    public func walk() -> Result {
        let walk = WalkContext(ignore: ignore, start: FileStamp.now())
        var missing: [String] = []
        var changes: [ModuleMap.Change] = []
        for (root, folder) in zip(roots, folders) {
            var info = stat()
            guard stat(root.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                missing.append(root.path)
                folder.removeAll(into: &changes, files: &files)
                continue
            }
            walk.queue.push(.list(folder))
        }
        // The first walk cannot know the size; it usually hashes everything, so share it.
        let threads = !walked || maps.current.sortedPaths.count >= OutputWalker.parallelFiles ? scratch.count : 1
        let scratch = self.scratch
        WalkThreads.run(count: threads) { index in
            walk.queue.drain { task in
                switch task {
                case .list(let folder): folder.list(walk, scratch[index])
                case .probe(let folder, let range): folder.probe(range, walk, scratch[index])
                }
            }
        }
        for folder in walk.queue.takeDirty() { folder.commit(into: &changes, files: &files) }
        var hashed = 0
        for each in scratch {
            hashed += each.hashed
            each.hashed = 0
        }
        if !keysCanCollide { _ = maps.next(changes) }
        if keysCanCollide || maps.current.entries.count != files {
            // Two files under keys String equality takes for one: nested roots, or names
            // that differ only in Unicode normalisation (`é` and `e` + U+0301). Build the
            // map afresh in walk order, the later file winning, as walks always did.
            var entries: [String: String] = [:]
            for folder in folders { folder.collectFiles(into: &entries) }
            maps.restart(from: ModuleMap(entries))
        }
        walked = true
        return Result(modules: maps.current, missingRoots: missing, filesHashed: hashed)
    }
}

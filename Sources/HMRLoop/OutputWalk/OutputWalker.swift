// Walks the out dir and hashes its files into a module map, reusing the hash of a
// file whose inode, size and times have not changed since the last walk.
//
// Runs on libuv's thread pool, one walk at a time (a lock makes sure); the cache is
// touched by no one else while a walk runs. Each folder keeps its last listing
// (OutputFolder), so an unchanged file costs one fstatat relative to its folder and
// a comparison; a walk of many files is shared between a few threads (WalkThreads),
// as those stat calls are nearly all of its time. After a build, inotify's notices
// (OutputNotices) usually name the few folders to read, and a full walk afterwards
// checks them. The map is the last walk's with this walk's changes applied, so its
// order and encodings carry over (ModuleMap.updating).

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
        /// Walks are numbered from 1 in the order they ran (WalkOrder).
        public var number: Int
        public var modules: ModuleMap
        public var missingRoots: [String]
        /// Only the folders inotify named were read: worth checking with a full walk.
        public var fromNotices: Bool
        /// This full walk found changes the walk from notices before it had not been told
        /// of; from now on every walk is a full one.
        public var noticesMissedChanges: Bool
        /// Small files that changed, as read (RecentContents).
        public var keptFiles: [KeptFile]
        /// The imports of the ES modules that changed, read as they were hashed (ModuleGraph).
        public var scannedModules: [ScannedModule]
        /// Keys this walk found gone since the last, or nil when it made the map afresh
        /// (then whatever is not in `modules` is gone).
        public var removedKeys: [String]?
    }

    /// A changed file's bytes as the walk read and hashed them.
    public struct KeptFile: Sendable {
        public var hash: UInt64
        public var bytes: [UInt8]
    }

    /// A changed module's imports, found in the very bytes that were hashed.
    public struct ScannedModule: Sendable {
        public var key: String
        public var hash: UInt64
        public var scan: ModuleScan
    }

    /// Deepest folder nesting followed, so a symlink loop cannot recurse forever.
    static let maxDepth = 64
    /// Threads of one walk at most: beyond a few, the stat calls contend in the kernel.
    static let maxThreads = 4
    /// How long a change a full walk found may wait for its notice before it counts as
    /// missed: far beyond the microseconds between a write and its notice, even for a
    /// writer descheduled in between.
    static let noticeGraceMicroseconds: UInt32 = 20_000

    private let roots: [Root]
    private let ignore: IgnoreRules
    private let folders: [OutputFolder]
    private let scratch: [WalkScratch]
    /// The walks' maps, each made from the last.
    private var maps = ModuleMapSeries()
    /// Files in the folders' caches (the map's size, unless two keys collide), and links.
    private var tally = OutputTally()
    /// Nil with --poll (mounts where inotify hears nothing), or if inotify is unavailable.
    private let notices: OutputNotices?
    /// When a walk may read only the folders inotify named (OutputWalkPolicy).
    private var policy: OutputWalkPolicy
    private let walking = ThreadLock()
    /// Walks made so far; read and written only under `walking`.
    private var walks = 0
    /// Two roots whose prefixes nest (`--watch src --watch src/css`) can give one key
    /// twice; then each walk builds its map afresh.
    private let keysCanCollide: Bool

    /// Whether the imports of changed `.js`/`.mjs` files are read as they are hashed.
    private let scansModules: Bool

    /// `usesNotices`: whether the kernel's change notices (inotify) may spare a full walk.
    public init(roots: [Root], ignore: IgnoreRules, usesNotices: Bool = true, scansModules: Bool = false) {
        self.roots = roots
        self.scansModules = scansModules
        self.ignore = ignore
        notices = usesNotices ? OutputNotices.open() : nil
        policy = OutputWalkPolicy(usesNotices: notices != nil)
        folders = roots.map { OutputFolder(path: $0.path, keyPrefix: $0.keyPrefix, relative: "", depth: 0) }
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        scratch = (0..<min(max(cores, 1), OutputWalker.maxThreads)).map { _ in WalkScratch() }
        keysCanCollide = roots.indices.contains { a in
            roots.indices.contains { b in a != b && roots[b].keyPrefix.hasPrefix(roots[a].keyPrefix) }
        }
    }

    /// Walks the out dir; blocking, so call it off the loop thread. Walks are one at a time.
    ///
    /// To publish, a walk after the first lists only the folders the kernel reported
    /// changes in, when it can be trusted to (see OutputNotices); to check, or when it
    /// cannot, every folder is listed and every file stat'ed. `named`: the folders (absolute)
    /// the sources' watcher saw change, when it watches the out dir too.
    public func walk(_ purpose: OutputWalkPolicy.Purpose = .publish, named: [String] = []) -> Result {
        walking.lock()
        defer { walking.unlock() }
        walks += 1
        let taken = notices?.take()
        let heard: OutputWalkPolicy.Heard? = taken.map {
            if case .folders(let folders) = $0 { return .folders(count: folders.count) }
            return .unknown
        }
        let scope = policy.scope(full: purpose == .check, heard: heard, linkedFiles: tally.linked,
                                 unheard: notices?.unheard(named, heard: taken) ?? 0)
        var told: [OutputFolder]?
        if scope == .notified, case .folders(let folders)? = taken { told = folders }
        let walk = WalkContext(ignore: ignore, start: FileStamp.now(), notices: policy.trustsNotices ? notices : nil,
                               descends: told == nil, keepsFiles: policy.keepsChangedFiles,
                               scansModules: scansModules)
        var missing: [String] = []
        var changes: [ModuleMap.Change] = []
        for (root, folder) in zip(roots, folders) {
            var info = stat()
            guard stat(root.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                missing.append(root.path)
                folder.removeAll(into: &changes, tally: &tally)
                continue
            }
            if told == nil { walk.queue.push(.list(folder)) }
        }
        for folder in told ?? [] { walk.queue.push(.list(folder)) }
        let threads = policy.threads(scope: scope, purpose: purpose, filesLastWalk: maps.current.sortedPaths.count,
                                     available: scratch.count)
        let scratch = self.scratch
        WalkThreads.run(count: threads) { index in
            walk.queue.drain { task in
                switch task {
                case .list(let folder): folder.list(walk, scratch[index])
                case .probe(let folder, let range): folder.probe(range, walk, scratch[index])
                }
            }
        }
        for folder in walk.queue.takeDirty() { folder.commit(into: &changes, tally: &tally) }
        // A full walk right after one from notices, with nothing heard before, during or
        // just after it, must find what that one found: if it finds more, the kernel did
        // not say everything. "Just after", as a write is seen a moment before its notice
        // is queued (a truncation's, for one), and this walk may have read it in between.
        var missed = false
        if let notices, policy.suspectsMissedNotices(scope: scope, heard: heard, changed: !changes.isEmpty) {
            usleep(OutputWalker.noticeGraceMicroseconds)
            if !notices.hasNews() {
                missed = true
                policy.noticesMissed()
            }
        }
        var removed: [String]? = changes.compactMap { $0.hash == nil ? $0.path : nil }
        if !keysCanCollide { _ = maps.next(changes) }
        if keysCanCollide || maps.current.entries.count != tally.files {
            removed = nil
            // Two files under keys String equality takes for one: nested roots, or names
            // that differ only in Unicode normalisation (`é` and `e` + U+0301). Build the
            // map afresh in walk order, the later file winning, as walks always did.
            var entries: [String: String] = [:]
            for folder in folders { folder.collectFiles(into: &entries) }
            maps.restart(from: ModuleMap(entries))
        }
        policy.walkEnded(scope: scope, missingRoots: !missing.isEmpty)
        return Result(number: walks, modules: maps.current, missingRoots: missing, fromNotices: told != nil,
                      noticesMissedChanges: missed, keptFiles: walk.queue.takeKept(),
                      scannedModules: walk.queue.takeScanned(), removedKeys: removed)
    }
}

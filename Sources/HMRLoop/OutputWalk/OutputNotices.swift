// What the kernel says changed in the out dir since the last walk, so that the walk
// after a build reads only the folders the build wrote in instead of every file.
//
// One inotify descriptor with a watch per folder of the out dir. The loop never
// reads it (no wake-ups between builds): a walk takes what was heard when it starts.
// Its word is taken only for files changing in folders it watches. Anything about
// folders themselves (made, moved, removed), a queue that overflowed, a watch the
// kernel dropped or a watch that could not be added makes the walk a full one,
// which watches whatever is new. The daemon checks each walk made from these
// notices with a full one (Daemon+Build), so a change the kernel did not report is
// still published.

import Glibc

final class OutputNotices: @unchecked Sendable {
    /// What was heard since the last `take`.
    enum Heard {
        /// Changes to files in these folders, and nothing else.
        case folders([OutputFolder])
        /// Something a folder list cannot describe: walk everything.
        case unknown
    }

    private static let fileEvents = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE
        | IN_MOVED_FROM | IN_MOVED_TO
    private static let folderEvents = IN_DELETE_SELF | IN_MOVE_SELF
    /// Events that say a folder came, went or moved, or that the watch itself is gone.
    private static let structural = UInt32(IN_ISDIR | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED
        | IN_Q_OVERFLOW)

    /// The share of the user's inotify watches the out dir may take: the sources'
    /// watches matter more (a folder left unwatched is a change never built), so the
    /// out dir is read in full rather than take more than a sixteenth of them.
    static let shareOfWatchLimit = 16

    private var fd: Int32
    /// Watches this may add: the share of the limit (fs.inotify.max_user_watches, or a
    /// user namespace's user.max_inotify_watches when that is lower).
    private let budget: Int
    // Guarded by `stateLock`: watches are added by the walk's threads.
    private var folders: [Int32: OutputFolder] = [:]
    /// The paths of the folders ever watched (a folder gone since only makes a walk full).
    private var watchedPaths = Set<String>()
    private let stateLock = ThreadLock()
    /// A watch could not be added for want of resources: no notices from now on.
    private var isBroken = false
    /// A folder could not be watched this walk (it vanished meanwhile): the next walk is a full one.
    private var missedWatch = false
    /// Heard and not yet taken: something a folder list cannot describe, or the folders.
    private var unknown = false
    private var changed: [OutputFolder] = []
    private var changedIDs = Set<ObjectIdentifier>()

    /// Nil when inotify is unavailable (no descriptor left, or no kernel support).
    static func open() -> OutputNotices? {
        let limits = ["/proc/sys/fs/inotify/max_user_watches", "/proc/sys/user/max_inotify_watches"]
            .compactMap(OutputNotices.readNumber)
        let budget = (limits.min() ?? 8192) / OutputNotices.shareOfWatchLimit
        guard budget > 0 else { return nil }
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        return fd >= 0 ? OutputNotices(fd: fd, budget: budget) : nil
    }

    private init(fd: Int32, budget: Int) {
        self.fd = fd
        self.budget = budget
    }

    private static func readNumber(_ path: String) -> Int? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 32)
        let n = read(fd, &bytes, bytes.count)
        guard n > 0 else { return nil }
        return Int(String(decoding: bytes[..<n].prefix { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self))
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Watches `folder` unless it is already; called before its listing is read, so
    /// nothing that happens to it after that listing goes unheard.
    func watch(_ folder: OutputFolder) {
        // Read without the lock: only the thread listing a folder, or a `take` between walks, touches it.
        guard !folder.isWatched else { return }
        stateLock.lock()
        let full = folders.count >= budget
        if full { isBroken = true }
        stateLock.unlock()
        if full { return }
        // A folder inside is watched only if it is not a link, as it is walked (O_NOFOLLOW).
        let mask = UInt32(OutputNotices.fileEvents | OutputNotices.folderEvents | IN_ONLYDIR)
            | (folder.depth > 0 ? UInt32(IN_DONT_FOLLOW) : 0)
        let wd = inotify_add_watch(fd, folder.path, mask)
        let error = errno
        stateLock.lock()
        defer { stateLock.unlock() }
        if wd >= 0 {
            // The same folder under a new name (renamed) has the same watch: the newest owner wins.
            folders[wd] = folder
            watchedPaths.insert(folder.path)
            folder.isWatched = true
        } else if error == ENOENT || error == ENOTDIR || error == ELOOP {
            missedWatch = true
        } else {
            // ENOSPC (the watch limit) or ENOMEM: full walks, as without notices.
            isBroken = true
        }
    }

    /// Everything heard since the last call, and forgets it.
    func take() -> Heard {
        stateLock.lock()
        defer { stateLock.unlock() }
        readQueue()
        let heard: Heard = unknown ? .unknown : .folders(changed)
        unknown = false
        changed = []
        changedIDs = []
        return heard
    }

    /// How many of `paths` (absolute, of folders) are watched yet not among the folders
    /// `heard` named: changes this instance has not been told of yet.
    func unheard(_ paths: [String], heard: Heard?) -> Int {
        guard !paths.isEmpty, case .folders(let named)? = heard else { return 0 }
        let namedPaths = Set(named.map(\.path))
        stateLock.lock()
        defer { stateLock.unlock() }
        return paths.filter { watchedPaths.contains($0) && !namedPaths.contains($0) }.count
    }

    /// Whether anything was heard since `take`, which keeps it for the next `take`.
    func hasNews() -> Bool {
        stateLock.lock()
        defer { stateLock.unlock() }
        readQueue()
        return unknown || !changed.isEmpty
    }

    /// Moves the queued events into `unknown` and `changed`; called with `stateLock` held.
    private func readQueue() {
        if missedWatch || isBroken { unknown = true }
        missedWatch = false
        if isBroken && fd >= 0 {
            // Of no more use: give the watches back to the sources' watcher.
            close(fd)
            fd = -1
            folders = [:]
        }
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<inotify_event>.alignment)
        defer { buffer.deallocate() }
        while fd >= 0 {
            let n = Glibc.read(fd, buffer, size)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= n {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                offset += MemoryLayout<inotify_event>.size + Int(event.len)
                if event.mask & UInt32(IN_IGNORED) != 0, let folder = folders.removeValue(forKey: event.wd) {
                    // Its folder was removed or unmounted: a later walk that finds it again watches it again.
                    folder.isWatched = false
                }
                if event.mask & OutputNotices.structural != 0 {
                    unknown = true
                } else if let folder = folders[event.wd] {
                    if changedIDs.insert(ObjectIdentifier(folder)).inserted { changed.append(folder) }
                } else {
                    unknown = true
                }
            }
        }
    }
}

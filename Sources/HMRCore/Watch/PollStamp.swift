// What the polling watcher remembers of one path between walks: the fields of its
// lstat that change when it does, so a change is seen without reading the file.
//
// Files (and links, pipes, sockets: anything not a folder) compare on every field.
// Folders compare on kind and identity only: their times move whenever an entry
// inside is added or removed, and those entries are reported themselves, just as
// inotify reports the entry and not its folder.

/// A file time with nanoseconds, as `st_mtim`/`st_ctim` carry it.
public struct FileTime: Sendable, Hashable, Comparable {
    public var seconds: Int64
    public var nanoseconds: Int64

    public init(seconds: Int64, nanoseconds: Int64) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (a: FileTime, b: FileTime) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// True when the two times are at most `margin` nanoseconds apart; `margin` is under a second.
    /// Written without multiplying seconds out, so a file dated in the year 3000 cannot overflow.
    public func isWithin(_ margin: Int64, of other: FileTime) -> Bool {
        let (seconds, overflow) = self.seconds.subtractingReportingOverflow(other.seconds)
        guard !overflow, (-1...1).contains(seconds) else { return false }
        let apart = seconds * 1_000_000_000 + (nanoseconds - other.nanoseconds)
        return abs(apart) <= margin
    }
}

public struct PollStamp: Sendable, Equatable {
    public var isFolder: Bool
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modified: FileTime
    public var changed: FileTime

    public init(isFolder: Bool = false, device: UInt64 = 1, inode: UInt64, size: Int64 = 0,
                modified: FileTime, changed: FileTime? = nil) {
        self.isFolder = isFolder
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.changed = changed ?? modified
    }

    /// True when a watcher should report the path that had `previous` and now has this stamp.
    public func differs(from previous: PollStamp) -> Bool {
        if isFolder != previous.isFolder || device != previous.device || inode != previous.inode { return true }
        if isFolder { return false }
        return size != previous.size || modified != previous.modified || changed != previous.changed
    }
}

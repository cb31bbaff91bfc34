// What the output walk remembers of a file to know, from one stat, that it has not
// changed: the same identity, size and times mean the cached hash still holds.
//
// A file modified within a clock tick of the walk that saw it is not trusted next
// time ("racy" entries, as git calls them): a later write in the same tick would
// leave every field as it was.

import Glibc

struct FileStamp: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    /// mtime and ctime in nanoseconds since the epoch.
    var modified: Int64
    var changed: Int64

    static let none = FileStamp(device: 0, inode: 0, size: -1, modified: 0, changed: 0)

    init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.changed = changed
    }

    init(_ info: stat) {
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                  modified: FileStamp.nanoseconds(info.st_mtim), changed: FileStamp.nanoseconds(info.st_ctim))
    }

    /// How close to the walk's start a change makes an entry racy: above the kernel's
    /// timestamp granularity (1–10 ms), and what PollTreeWalker uses for the same race.
    static let racyMargin: Int64 = 20_000_000

    /// Modified less than a tick before the walk began: a later write in the same tick would look unchanged.
    func isRacy(walkStart: Int64) -> Bool {
        max(modified, changed) >= walkStart - FileStamp.racyMargin
    }

    static func nanoseconds(_ time: timespec) -> Int64 {
        Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// The wall clock now, in the file times' terms.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return nanoseconds(time)
    }
}

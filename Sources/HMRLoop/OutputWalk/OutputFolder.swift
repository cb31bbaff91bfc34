// One folder of the out dir as the walks know it: its last listing, and for each
// name what it was (file with stamp and hash, folder, ignored, or absent).
//
// A walk reads a folder in two steps (OutputFolder+Probe) that may run on several
// threads, and then commits what it found (OutputFolder+Commit) on one. While the
// threads run, `names` and `entries` are only read; `listing` and `oldIndex` are
// written once, by the thread that lists the folder, before any probe of it is
// queued; `findings` is appended to under the walk queue's lock. So the class is
// Sendable by that discipline, not by its types.

import HMRCore

final class OutputFolder: @unchecked Sendable {
    enum Kind: UInt8 {
        /// A regular file (or a link to one): an entry of the module map.
        case file
        /// A folder that is not a link: walked.
        case folder
        /// Left out by IgnoreRules; a path's rule never changes, so it is not even stat'ed again.
        case ignored
        /// Anything else: a link to a folder, a socket, a file that vanished or could not be read.
        case absent
    }

    struct Entry {
        var kind: Kind
        var stamp = FileStamp.none
        var hash: UInt64 = 0
        /// The module-map key, for a file.
        var key = ""
        var folder: OutputFolder?
        /// A link, or a file with other names: it can change with no notice in this folder.
        var linked = false
    }

    /// Absolute path, to open the folder.
    let path: String
    /// What the keys of its files start with: the root's prefix and the relative path.
    let keyPrefix: String
    /// Its path relative to the root, ending in `/` ("" for the root), for ignore patterns.
    let relative: String
    /// Folders between it and the root.
    let depth: Int

    /// The listing the last walk saw, and what each name was.
    var names = NameTable()
    var entries: [Entry] = []

    /// This walk's listing when it differs from `names` (nil when the same).
    var listing: NameTable?
    /// For each name of `listing`, its index in `names`, or -1 for a new name.
    var oldIndex: [Int32] = []
    /// Probed entries that differ from `entries`, by index in this walk's listing.
    var findings: [(index: Int, entry: Entry)] = []
    /// Queued for commit (so a folder with a new listing and findings commits once).
    var isDirty = false
    /// Has an inotify watch (OutputNotices); changed by the thread listing it or between walks.
    var isWatched = false

    init(path: String, keyPrefix: String, relative: String, depth: Int) {
        self.path = path
        self.keyPrefix = keyPrefix
        self.relative = relative
        self.depth = depth
    }

    func child(named name: String) -> OutputFolder {
        OutputFolder(path: path + "/" + name, keyPrefix: keyPrefix + name + "/", relative: relative + name + "/",
                     depth: depth + 1)
    }
}

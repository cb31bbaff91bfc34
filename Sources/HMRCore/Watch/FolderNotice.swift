// What one notice about a name in a watched folder means, from what the file system
// says about that name now: a change to build for, a folder to watch or to forget,
// or the watched folder itself gone. TreeWatcher gathers the facts (lstat, the
// watch's identity) and carries out the answer.

public enum FolderNotice {
    public enum Kind: Sendable, Equatable { case file, folder, missing }

    /// What is known of a watch on the named path.
    public enum Watch: Sendable, Equatable {
        case none
        case current
        /// The watch's folder was deleted and another made under the name: it sees nothing.
        case stale
    }

    public struct Facts: Sendable, Equatable {
        /// inotify names the watched folder itself like a child: the name is its last
        /// component (and the folder is watched).
        public var namesItsFolder = false
        /// For such a notice: a child of that name exists, and the watch still watches the folder's path.
        public var childExists = false
        public var folderStillWatched = true
        /// Only attributes changed.
        public var attributesOnly = false
        /// The path is neither in the out dir nor ignored.
        public var reported = true
        public var kind = Kind.file
        public var watch = Watch.none

        public init() {}
    }

    public enum Action: Sendable, Equatable {
        /// The watched folder itself was deleted, moved away or replaced: its watch is over.
        case folderGone
        /// Release the watches of the path and below it.
        case forget
        /// Watch the path and the folders below it, reporting the files found.
        case watch
        /// A change to build for.
        case report
    }

    public static func actions(_ facts: Facts) -> [Action] {
        if facts.namesItsFolder && (!facts.childExists || !facts.folderStillWatched) {
            // Its own attributes: nothing to build.
            if facts.attributesOnly && facts.folderStillWatched { return [] }
            // The identity alone cannot tell a replaced folder: one made at once may get the
            // freed inode number. A child named like its folder that went away is reported
            // in case (a made-up path in a trigger at worst).
            return [.folderGone] + (facts.folderStillWatched && facts.reported ? [.report] : [])
        }
        guard facts.reported else { return [] }
        switch facts.kind {
        case .folder:
            // A folder is no change by itself: the files it brings are, and watching it
            // reports those it finds (never ignored ones); its watch reports the rest.
            switch facts.watch {
            case .current: return []
            case .stale: return [.forget, .watch]
            case .none: return [.watch]
            }
        case .file:
            return [.report]
        case .missing:
            return [.forget, .report]
        }
    }
}

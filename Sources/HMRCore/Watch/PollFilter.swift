// Which paths the polling watcher records: the inotify watcher's rules, relative to
// one watched root — IgnoreRules (built-in names and --ignore) and the out dir.
//
// A path is left out when it or a folder above it is, so a walk that skips an
// ignored folder and a filter applied to every path agree.

public struct PollFilter: Sendable {
    public let ignore: IgnoreRules
    /// Folders left out whole, relative to the root; "" leaves out everything below it.
    public let excluded: [String]

    public init(ignore: IgnoreRules, excluded: [String] = []) {
        self.ignore = ignore
        self.excluded = excluded
    }

    /// The filter for `root` given absolute excluded folders (as the inotify watcher takes them);
    /// those outside the root cannot match and are dropped.
    public init(ignore: IgnoreRules, root: String, excludedFolders: [String]) {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        let relative = excludedFolders.compactMap { folder -> String? in
            if folder == root { return "" }
            return folder.hasPrefix(prefix) ? String(folder.dropFirst(prefix.count)) : nil
        }
        self.init(ignore: ignore, excluded: relative)
    }

    /// `relativePath` is relative to the root, `/`-separated, never empty.
    public func admits(_ relativePath: String) -> Bool {
        for folder in excluded {
            if folder.isEmpty || relativePath == folder || relativePath.hasPrefix(folder + "/") { return false }
        }
        return !ignore.ignores(relativePath)
    }
}

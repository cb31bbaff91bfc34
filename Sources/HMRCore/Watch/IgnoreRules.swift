// What the watcher never reports and the output walk never hashes.
//
// Version-control folders and editors' temporary files are never worth a build;
// `node_modules` is skipped too because it is large, rarely edited, and watching it
// exhausts inotify watches (an improvement on DESIGN.md, noted in the README).
// The out dir is ignored separately, by absolute path, in the watcher.

public struct IgnoreRules: Sendable {
    public static let alwaysIgnoredFolders: Set<String> = [".git", ".hg", ".svn", ".bzr", "_darcs", "CVS", "node_modules"]

    public let patterns: [GlobPattern]

    public init(patterns: [String]) {
        self.patterns = patterns.map(GlobPattern.init)
    }

    /// `relativePath` is relative to the watched folder, `/`-separated.
    public func ignores(_ relativePath: String) -> Bool {
        let segments = relativePath.split(separator: "/")
        if segments.contains(where: { IgnoreRules.alwaysIgnoredFolders.contains(String($0)) }) { return true }
        if let name = segments.last, IgnoreRules.isEditorTempFile(String(name)) { return true }
        return patterns.contains { $0.matches(relativePath) }
    }

    /// Swap files, backups, Emacs lock files and Vim's write test file `4913`.
    public static func isEditorTempFile(_ name: String) -> Bool {
        name.hasSuffix("~")
            || name.hasPrefix(".#")
            || name == "4913"
            || name.hasSuffix(".swp") || name.hasSuffix(".swx") || name.hasSuffix(".swo")
            || (name.hasPrefix("#") && name.hasSuffix("#"))
    }
}

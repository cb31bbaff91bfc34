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

    /// Swap files, backups, Emacs lock files, Vim's write test file `4913`, and the
    /// file `sed -i` writes before renaming it over the original.
    public static func isEditorTempFile(_ name: String) -> Bool {
        name.hasSuffix("~")
            || name.hasPrefix(".#")
            || name == "4913"
            || name.hasSuffix(".swp") || name.hasSuffix(".swx") || name.hasSuffix(".swo")
            || (name.hasPrefix("#") && name.hasSuffix("#"))
            || isSedTempFile(name)
    }

    /// GNU sed's "sedXXXXXX": six random letters and digits. Requiring one of them to be
    /// a capital or a digit keeps real names such as `sediments` (odds of missing a
    /// temp file that way: (26/62)^6, about 0.5 %, and then it only shows in a trigger list).
    static func isSedTempFile(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count == 9, bytes.starts(with: Array("sed".utf8)) else { return false }
        let random = bytes[3...]
        let isAlphanumeric = { (b: UInt8) in (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        let isCapitalOrDigit = { (b: UInt8) in (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) }
        return random.allSatisfy(isAlphanumeric) && random.contains(where: isCapitalOrDigit)
    }
}

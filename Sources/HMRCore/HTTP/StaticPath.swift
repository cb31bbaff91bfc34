// Maps a decoded URL path under the static root to a relative file path.
//
// `RequestPolicy` has already refused `..`; this adds the static-serving rule
// that nothing whose name starts with "." is served (`.git`, `.env`,
// `.DS_Store`), at any depth. The rule holds for the URL and again for the
// file's real path, so a symlink with a plain name cannot lead to a dot-file.

public enum StaticPath {
    /// "/css/app.css" -> "css/app.css"; "/" -> "" (the root); nil when any
    /// segment starts with "." (dot-files, dot-dirs) or the path is not absolute.
    /// Empty segments are dropped, so "/docs/" -> "docs".
    public static func relativePath(for path: String) -> String? {
        guard path.hasPrefix("/") else { return nil }
        let segments = path.split(separator: "/")
        guard !segments.contains(where: { $0.hasPrefix(".") }) else { return nil }
        return segments.joined(separator: "/")
    }

    /// The real path of a file relative to the real root, when it may be served:
    /// inside the root (or the root itself, giving "") and with no segment that
    /// starts with "." below it. Both paths come from `realpath`, so they are
    /// absolute with no symlinks, `.` or `..` left in them.
    public static func relativeRealPath(_ real: String, root: String) -> String? {
        if real == root { return "" }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard real.hasPrefix(prefix) else { return nil }
        let relative = real.dropFirst(prefix.count)
        guard !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { return nil }
        return String(relative)
    }

    /// Where a folder URL without its trailing slash is redirected: the path as
    /// sent, plus "/" and the query. A run of leading slashes becomes one, since
    /// `//host/folder` in a Location is a protocol-relative URL: another host.
    public static func folderRedirect(rawPath: String, query: String?) -> String {
        "/" + rawPath.drop(while: { $0 == "/" }) + "/" + (query.map { "?" + $0 } ?? "")
    }
}

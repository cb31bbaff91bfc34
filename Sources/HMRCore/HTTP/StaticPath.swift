// Maps a decoded URL path under the static root to a relative file path.
//
// `RequestPolicy` has already refused `..`; this adds the static-serving rule
// that nothing whose name starts with "." is served (`.git`, `.env`,
// `.DS_Store`), at any depth.

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
}

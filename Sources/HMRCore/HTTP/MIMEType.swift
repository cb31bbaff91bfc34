// Content-Type by file extension, for static files.
//
// A fixed table of what web builds emit, rather than the system's mime.types,
// so the answer is the same on every machine. Text types say UTF-8 outright,
// because a browser's guess is what turns "é" into "Ã©".

public enum MIMEType {
    /// Served when the extension is missing or unknown: browsers will not
    /// execute or render it, which is the safe default.
    public static let fallback = "application/octet-stream"

    static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8",
        "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8",
        "cjs": "text/javascript; charset=utf-8",
        "txt": "text/plain; charset=utf-8",
        "xml": "text/xml; charset=utf-8",
        "json": "application/json",
        "map": "application/json",
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "avif": "image/avif",
        "ico": "image/x-icon",
        // Must be exact: WebAssembly.instantiateStreaming refuses anything else.
        "wasm": "application/wasm",
        "pdf": "application/pdf",
        "woff": "font/woff",
        "woff2": "font/woff2",
        "ttf": "font/ttf",
        "otf": "font/otf",
        "mp4": "video/mp4",
        "webm": "video/webm",
        "mp3": "audio/mpeg",
        "wav": "audio/wav",
    ]

    /// The Content-Type for a path, by the extension of its last segment.
    public static func forPath(_ path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return fallback }
        let ext = ASCII.lowercased(String(name[name.index(after: dot)...]))
        return byExtension[ext] ?? fallback
    }
}

// Which Origins get CORS headers: loopback origins and `--allow-origin` ones.
//
// The allowed origin is echoed back exactly as sent (never `*`), so a page on
// another origin can read hmrd's responses only if the user opted in. `null`
// (sandboxed frames, file: pages) is never echoed, as any page can produce it.

struct OriginAllowList: Sendable {
    /// `--allow-origin` entries in comparison form (see `comparable`).
    let extraOrigins: Set<String>

    init(extraOrigins: [String]) {
        self.extraOrigins = Set(extraOrigins.map(Self.comparable))
    }

    /// The origin to echo in Access-Control-Allow-Origin, or nil for no CORS.
    func corsOrigin(for head: RequestHead) -> String? {
        let origins = head.values(of: "Origin")
        // Two Origin headers are not something a browser sends; trust neither.
        guard origins.count == 1, let origin = origins.first, origin != "null" else { return nil }
        return Self.isLoopback(origin) || extraOrigins.contains(Self.comparable(origin)) ? origin : nil
    }

    /// `http(s)://` plus a loopback authority and no path.
    static func isLoopback(_ origin: String) -> Bool {
        let lower = ASCII.lowercased(origin)
        let authority: Substring
        if lower.hasPrefix("http://") {
            authority = lower.dropFirst("http://".count)
        } else if lower.hasPrefix("https://") {
            authority = lower.dropFirst("https://".count)
        } else {
            return false
        }
        return Authority(parsing: withoutTrailingSlash(authority))?.isLoopback ?? false
    }

    /// Scheme and host compare case-insensitively and a trailing slash is
    /// ignored; the port is digits, so lowercasing the whole origin does both.
    static func comparable(_ origin: String) -> String {
        String(withoutTrailingSlash(ASCII.lowercased(origin)[...]))
    }

    static func withoutTrailingSlash(_ text: Substring) -> Substring {
        text.hasSuffix("/") ? text.dropLast() : text
    }
}

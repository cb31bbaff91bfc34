// The backend of `--proxy URL`: an http origin (scheme, host, port) and nothing more.
//
// hmrd speaks plain HTTP/1.1 to it, so `https://` is refused with the way out; a path
// or query would make every URL mean two things, so only an origin is taken.

public struct ProxyTarget: Sendable, Equatable {
    /// As it would appear in a Host header or a URL: a name, an IPv4 address or `[v6]`.
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `http://host:port`, the port left out when it is 80: how the backend names itself.
    public var origin: String { "http://" + authority }

    /// `host:port` (the port left out when it is 80), as a Host header carries it.
    public var authority: String { port == 80 ? host : "\(host):\(port)" }

    /// The host as a socket address takes it: without an IPv6 literal's brackets.
    public var addressHost: String {
        host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
    }

    public init(parsing text: String) throws(ConfigError) {
        var rest = Substring(text)
        if rest.lowercased().hasPrefix("https://") {
            throw ConfigError("--proxy speaks plain HTTP to the backend: give its http:// address "
                + "(such as --proxy http://127.0.0.1:8000), not \(TerminalText.safe(text))")
        }
        if rest.lowercased().hasPrefix("http://") {
            rest = rest.dropFirst("http://".count)
        } else if rest.contains("://") {
            throw ConfigError("--proxy takes an http:// address such as http://127.0.0.1:8000, not \(TerminalText.safe(text))")
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/"), !rest.contains("?"), !rest.contains("#"), !rest.contains("@") else {
            throw ConfigError("--proxy takes the backend's origin only (such as http://127.0.0.1:8000), "
                + "without a path, query or user: not \(TerminalText.safe(text))")
        }
        guard let authority = Authority(parsing: rest) else {
            throw ConfigError("--proxy needs a host and port such as http://127.0.0.1:8000, not \(TerminalText.safe(text))")
        }
        let port = authority.port.flatMap { Int($0) } ?? 80
        guard (1...65_535).contains(port) else {
            throw ConfigError("--proxy port must be 1 to 65535, not \(authority.port ?? "")")
        }
        self.host = authority.host
        self.port = port
    }
}

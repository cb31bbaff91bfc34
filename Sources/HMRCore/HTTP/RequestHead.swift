// A parsed request head: request line plus header fields, as sent.
//
// Nothing here is normalized or interpreted beyond what framing needs; the
// target is checked and decoded later by `RequestPolicy`, so the raw form stays
// available for logs and redirects.

public struct RequestHead: Sendable, Equatable {
    /// As sent, case-sensitive ("GET").
    public var method: String
    /// The raw request-target as sent.
    public var target: String
    public var version: HTTPVersion
    /// In the order they were sent, duplicates kept.
    public var headers: [HeaderField]

    public init(method: String, target: String, version: HTTPVersion, headers: [HeaderField]) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// The first value of the named header, matching the name case-insensitively.
    public func value(of name: String) -> String? {
        headers.first { ASCII.equalsIgnoringCase($0.name, name) }?.value
    }

    /// Every value of the named header, in order.
    public func values(of name: String) -> [String] {
        headers.filter { ASCII.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    /// Whether the connection may carry another request after this one's
    /// response (RFC 9112 section 9.3): HTTP/1.1 persists unless a `close`
    /// option is present; HTTP/1.0 only with an explicit `keep-alive` option.
    public var keepAlive: Bool {
        let options = values(of: "Connection").flatMap(ASCII.listElements)
        if options.contains(where: { ASCII.equalsIgnoringCase(String($0), "close") }) {
            return false
        }
        switch version {
        case .http11:
            return true
        case .http10:
            return options.contains { ASCII.equalsIgnoringCase(String($0), "keep-alive") }
        }
    }
}

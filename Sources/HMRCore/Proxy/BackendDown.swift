// What the browser gets when the --proxy backend cannot answer: 502, with hmrd's page
// that comes back by itself (BackendDownPage) for a page load, a line of text for
// anything else. Marked `X-Hmrd-Backend: down` so the client can tell it from the
// backend's own 502, and never cached. The connection closes after it: a body the
// request may still be sending is not read.

public enum BackendDown {
    public static func answer(for request: ProxiedRequest, backend: ProxyTarget, reason: String) -> [UInt8] {
        let html = request.wantsHTML
        let body = html ? BackendDownPage.html(backend: backend.origin, reason: reason)
            : Array("hmrd: the backend at \(backend.origin) is not answering (\(reason))\n".utf8)
        var text = "HTTP/1.1 502 Bad Gateway\r\n"
        text += "Content-Type: \(html ? "text/html" : "text/plain"); charset=utf-8\r\n"
        text += "Content-Length: \(body.count)\r\n"
        text += "Cache-Control: no-store\r\n"
        text += "\(BackendDownPage.headerName): down\r\n"
        text += "Connection: close\r\n\r\n"
        return Array(text.utf8) + (request.isHead ? [] : body)
    }
}

/// Whether the backend answers, as the terminal is told: once when it stops, once when
/// it is back, not a line per request in between.
public struct BackendHealth: Sendable {
    public private(set) var down = false

    public init() {}

    /// A request found the backend not answering: what to say, the first time.
    public mutating func failed(backend: ProxyTarget, reason: String) -> LogEvent? {
        guard !down else { return nil }
        down = true
        return .backendDown(backend: backend.origin, reason: reason)
    }

    /// An answer came: what to say when it had been down.
    public mutating func answered(backend: ProxyTarget) -> LogEvent? {
        guard down else { return nil }
        down = false
        return .backendUp(backend: backend.origin)
    }
}

extension RequestBodyFraming {
    /// The same framing, as the body reader takes it.
    public var message: MessageBodyFraming {
        switch self {
        case .none: return .none
        case .length(let count): return .length(count)
        case .chunked: return .chunked
        }
    }

    /// No body, or an empty one: a request that can be sent again as it is.
    public var isEmpty: Bool { self == .none || self == .length(0) }
}

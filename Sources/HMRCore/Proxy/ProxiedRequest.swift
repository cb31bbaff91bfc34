// A request bound for the backend (--proxy), as the policy let it through, and the
// head hmrd sends the backend for it.
//
// The head is passed on as sent, less what belongs to the hop between the browser and
// hmrd (RFC 9110 section 7.6.1). The browser's Host is kept, so the backend builds
// links, redirects and CSRF Origin checks for the address the browser uses.

public struct ProxiedRequest: Sendable, Equatable {
    public var head: RequestHead
    public var framing: RequestBodyFraming
    /// The browser waits for `100 Continue` (which hmrd sends) before its body.
    public var expectsContinue: Bool

    public init(head: RequestHead, framing: RequestBodyFraming, expectsContinue: Bool) {
        self.head = head
        self.framing = framing
        self.expectsContinue = expectsContinue
    }

    public var method: String { head.method }
    public var isHead: Bool { head.method == "HEAD" }
    public var keepAlive: Bool { head.keepAlive }

    /// A WebSocket (or other) upgrade: after a 101 the connection is the backend's.
    public var upgrade: String? {
        guard head.version == .http11, let value = head.value(of: "Upgrade"),
              connectionOptions.contains("upgrade") else { return nil }
        return value
    }

    /// A page load rather than an asset: what the down page is shown for, and why the
    /// backend is asked not to compress (so the tag goes in without decoding).
    public var wantsHTML: Bool {
        head.values(of: "Accept").contains { ASCII.lowercased($0).contains("text/html") }
    }

    /// Whether an HTML answer is a page the client belongs in: a document or frame the
    /// browser loads, not a fragment that script fetched (htmx, Turbo, the client's own
    /// fetch of the page) and would otherwise run the client again. Without
    /// `Sec-Fetch-Dest` (curl, an older browser) it counts as a page.
    public var loadsPage: Bool {
        guard let destination = head.value(of: "Sec-Fetch-Dest") else { return true }
        return ["document", "iframe", "frame", "embed", "object"].contains(ASCII.lowercased(destination))
    }

    /// The Connection header's options, lowercased.
    var connectionOptions: Set<String> {
        Set(head.values(of: "Connection").flatMap(ASCII.listElements).map { ASCII.lowercased(String($0)) })
    }

    /// The head for the backend. `client` is the browser's address, for X-Forwarded-For.
    public func backendHead(client: String?) -> [UInt8] {
        let dropped = HopByHop.names.union(connectionOptions)
            .union(["x-forwarded-host", "x-forwarded-proto", "expect"])
        var fields = head.headers.filter { !dropped.contains(ASCII.lowercased($0.name)) }
        if wantsHTML {
            fields.removeAll { ASCII.equalsIgnoringCase($0.name, "Accept-Encoding") }
            fields.append(HeaderField(name: "Accept-Encoding", value: "identity"))
        }
        if let host = head.value(of: "Host") { fields.append(HeaderField(name: "X-Forwarded-Host", value: host)) }
        fields.append(HeaderField(name: "X-Forwarded-Proto", value: "http"))
        if let client {
            let earlier = fields.firstIndex { ASCII.equalsIgnoringCase($0.name, "X-Forwarded-For") }
            if let earlier {
                fields[earlier].value += ", " + client
            } else {
                fields.append(HeaderField(name: "X-Forwarded-For", value: client))
            }
        }
        if framing == .chunked { fields.append(HeaderField(name: "Transfer-Encoding", value: "chunked")) }
        if let upgrade {
            fields.append(HeaderField(name: "Upgrade", value: upgrade))
            fields.append(HeaderField(name: "Connection", value: "Upgrade"))
        }
        var text = "\(head.method) \(head.target) HTTP/1.1\r\n"
        for field in fields { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }
}

/// Header fields that describe one connection, never passed from one side to the other.
enum HopByHop {
    static let names: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
    ]
}

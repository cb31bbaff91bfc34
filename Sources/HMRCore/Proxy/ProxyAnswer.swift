// What hmrd makes of a backend's response head (--proxy): the head the browser gets,
// how the body is read from the backend and written to the browser, whether the
// client's tag goes in, and which connections live on afterwards.
//
// HTML (text/html, not a range, loaded as a page) gets the tag; gzip or deflate HTML is decoded first, other
// codings pass through without it. Everything else passes as the backend framed it, so
// a download is forwarded without being copied apart; only a body that ends when the
// backend closes is put in chunks for an HTTP/1.1 browser, to keep its connection.

public struct ProxyAnswer: Sendable, Equatable {
    /// How the body goes to the browser.
    public enum Output: Sendable, Equatable {
        /// The backend's bytes as they came, framing and all.
        case raw
        /// The body's content as is: delimited by the Content-Length in the head, or by
        /// closing the connection.
        case content
        /// The body's content in chunks (ChunkedEncoding).
        case chunked
    }

    /// The tag going into HTML, and the coding to undo first (nil: identity).
    public struct Injection: Sendable, Equatable {
        public var tag: [UInt8]
        public var decode: ContentCoding?
    }

    /// Backend heads past this are refused (502): cookies and all, real ones stay far below.
    public static let maxHeadBytes = 64 * 1024

    public var head: [UInt8]
    public var status: Int
    /// How the backend's body is delimited (MessageBodyReader).
    public var framing: MessageBodyFraming
    public var output: Output
    public var injection: Injection?
    /// The browser's connection carries another request after this answer.
    public var keepClient: Bool
    /// The backend's connection may serve another request, once this body is read whole.
    public var keepBackend: Bool
    /// A 101: from now on the two connections are one tunnel.
    public var upgrade: Bool
    /// A 1xx (not 101) sent ahead of the answer: the real head follows.
    public var interim: Bool
    /// Worth a --verbose note (HTML that could not be given the tag, and why).
    public var note: String?

    /// The plan for `response` to `request`. `tag` is the client's script tag; `backend` is
    /// whose absolute redirects are turned back to the address the browser used.
    public static func plan(_ response: ResponseStart, for request: ProxiedRequest, backend: ProxyTarget,
                            tag: [UInt8]) throws(ProxyFailure) -> ProxyAnswer {
        let status = response.status
        let browser10 = request.head.version == .http10
        if status == 101, request.upgrade != nil {
            return ProxyAnswer(head: encode(response, fields: response.headers, backend: backend, request: request),
                               status: status, framing: .none, output: .raw, injection: nil, keepClient: false,
                               keepBackend: false, upgrade: true, interim: false, note: nil)
        }
        if status == 101 {
            throw ProxyFailure("it switched protocols though the request asked for no upgrade")
        }
        if (100..<200).contains(status) {
            // The browser was sent its own 100 Continue; an HTTP/1.0 browser takes no 1xx at all.
            let head = status == 100 || browser10 ? [] : encode(response, fields: strip(response), backend: backend,
                                                                  request: request)
            return ProxyAnswer(head: head, status: status, framing: .none, output: .raw, injection: nil,
                               keepClient: true, keepBackend: true, upgrade: false, interim: true, note: nil)
        }
        let framing: MessageBodyFraming
        do {
            framing = try MessageBodyFraming.response(status: status, requestMethod: request.method,
                                                      headers: response.headers)
        } catch {
            throw ProxyFailure("the backend's answer is badly framed (\(error))")
        }
        var fields = strip(response)
        var output = Output.raw
        var injection: Injection?
        var note: String?
        // A redirect's body is never shown, and a range is part of a page: neither gets the tag.
        if isHTML(response) && status != 206 && !(300..<400).contains(status) && request.loadsPage {
            switch ContentCoding.parse(response.values(of: "Content-Encoding")) {
            case .identity:
                injection = Injection(tag: tag, decode: nil)
            case .coded(let coding):
                injection = Injection(tag: tag, decode: coding)
            case .unsupported(let name):
                note = "HTML coded \(TerminalText.safe(name)) passed on without the client (hmrd decodes gzip and deflate)"
            }
        }
        if let planned = injection {
            let length = response.value(of: "Content-Length").flatMap { Int($0) }
            fields.removeAll { ASCII.equalsIgnoringCase($0.name, "Content-Length") }
            if planned.decode != nil {
                fields.removeAll { ASCII.equalsIgnoringCase($0.name, "Content-Encoding") }
            }
            if case .length(let count) = framing, planned.decode == nil {
                fields.append(HeaderField(name: "Content-Length", value: String(count + tag.count)))
                output = .content
            } else if framing == .none {
                // A HEAD: the length a GET would be sent with, when it is known.
                if let length, planned.decode == nil {
                    fields.append(HeaderField(name: "Content-Length", value: String(length + tag.count)))
                }
                injection = nil
            } else {
                output = browser10 ? .content : .chunked
            }
        } else if framing == .chunked || framing == .untilClose {
            output = browser10 ? .content : (framing == .chunked ? .raw : .chunked)
            // Transfer-Encoding won over any Content-Length (RFC 9112 section 6.3): it goes.
            fields.removeAll { ASCII.equalsIgnoringCase($0.name, "Content-Length") }
        }
        if output == .chunked || (output == .raw && framing == .chunked) {
            fields.append(HeaderField(name: "Transfer-Encoding", value: "chunked"))
        }
        let delimited = output != .content || fields.contains { ASCII.equalsIgnoringCase($0.name, "Content-Length") }
            || framing == .none
        let keepClient = request.keepAlive && delimited
        if !keepClient {
            fields.append(HeaderField(name: "Connection", value: "close"))
        } else if browser10 {
            fields.append(HeaderField(name: "Connection", value: "keep-alive"))
        }
        return ProxyAnswer(head: encode(response, fields: fields, backend: backend, request: request), status: status,
                           framing: framing, output: output, injection: injection, keepClient: keepClient,
                           keepBackend: keepsAlive(response) && framing != .untilClose, upgrade: false,
                           interim: false, note: note)
    }

    /// Whether the answer is an HTML document (its media type, parameters aside).
    static func isHTML(_ response: ResponseStart) -> Bool {
        guard let type = response.value(of: "Content-Type") else { return false }
        let media = type.prefix { $0 != ";" }
        return ASCII.equalsIgnoringCase(String(ASCII.trimmingWhitespace(media)), "text/html")
    }

    /// The backend keeps its connection open after this answer.
    static func keepsAlive(_ response: ResponseStart) -> Bool {
        let options = response.headers.filter { ASCII.equalsIgnoringCase($0.name, "Connection") }
            .flatMap { ASCII.listElements($0.value) }.map { ASCII.lowercased(String($0)) }
        if options.contains("close") { return false }
        return !response.isHTTP10 || options.contains("keep-alive")
    }

    /// The backend's fields less those of its hop and those its Connection header names.
    static func strip(_ response: ResponseStart) -> [HeaderField] {
        let named = Set(response.headers.filter { ASCII.equalsIgnoringCase($0.name, "Connection") }
            .flatMap { ASCII.listElements($0.value) }.map { ASCII.lowercased(String($0)) })
        let dropped = HopByHop.names.union(named)
        return response.headers.filter { !dropped.contains(ASCII.lowercased($0.name)) }
    }

    private static func encode(_ response: ResponseStart, fields: [HeaderField], backend: ProxyTarget,
                               request: ProxiedRequest) -> [UInt8] {
        let host = request.head.value(of: "Host")
        var text = "HTTP/1.1 \(response.status) \(response.reason)\r\n"
        for field in fields {
            var value = field.value
            if let host, ASCII.equalsIgnoringCase(field.name, "Location") {
                value = BackendRedirect.rewrite(value, backend: backend, host: host)
            }
            text += "\(field.name): \(value)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }
}

/// Why a backend's answer could not be passed on; the browser gets 502.
public struct ProxyFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

// The grammar of single lines of a request head, and the checks made once the
// head is complete. `RequestHeadParser` hands each line here without its LF.
//
// The rules are strict on purpose: a server that reads ambiguous framing
// differently from a proxy in front of it is how request smuggling starts, so
// anything ambiguous (bare CR, obs-fold, spaces before a colon) is 400. The
// body's framing is judged after the head, by `RequestBodyFraming`.

/// The parsed first line of a request.
struct RequestLine: Sendable, Equatable {
    var method: String
    var target: String
    var version: HTTPVersion
}

/// What parsing one line led to.
enum LineStep {
    case next
    case failed(RequestError)
    case complete(RequestHead)
}

extension RequestHeadParser {
    mutating func parseLine(_ raw: UnsafeRawBufferPointer) -> LineStep {
        // CRLF ends a line; a bare LF is tolerated (RFC 9112 section 2.2), a
        // CR anywhere else is not.
        var content = raw[...]
        if content.last == ASCII.carriageReturn { content = content.dropLast() }
        if content.contains(ASCII.carriageReturn) { return .failed(.malformed("bare carriage return")) }

        guard let requestLine else {
            // Empty lines before the request line are skipped (RFC 9112 section 2.2).
            if content.isEmpty { return .next }
            switch Self.parseRequestLine(content) {
            case .success(let parsed): self.requestLine = parsed; return .next
            case .failure(let error): return .failed(error)
            }
        }
        if content.isEmpty {
            let head = RequestHead(method: requestLine.method, target: requestLine.target,
                                   version: requestLine.version, headers: headers)
            if let error = Self.checkComplete(head) { return .failed(error) }
            return .complete(head)
        }
        guard headers.count < Self.maxHeaderFields else { return .failed(.headTooLarge) }
        switch Self.parseHeaderField(content) {
        case .success(let field): headers.append(field); return .next
        case .failure(let error): return .failed(error)
        }
    }

    static func parseRequestLine(_ line: Slice<UnsafeRawBufferPointer>) -> Result<RequestLine, RequestError> {
        // Exactly `method SP target SP version`: no empty parts, so no double
        // spaces and no leading or trailing ones.
        let parts = line.split(separator: ASCII.space, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            return .failure(.malformed("malformed request line"))
        }
        guard parts[0].allSatisfy(ASCII.isTokenByte) else { return .failure(.malformed("invalid method")) }
        guard parts[1].allSatisfy(ASCII.isVisible) else { return .failure(.malformed("invalid request target")) }
        let version: HTTPVersion
        switch String(decoding: parts[2], as: UTF8.self) {
        case "HTTP/1.1": version = .http11
        case "HTTP/1.0": version = .http10
        case let other where other.hasPrefix("HTTP/"): return .failure(.malformed("unsupported http version"))
        default: return .failure(.malformed("malformed request line"))
        }
        return .success(RequestLine(method: String(decoding: parts[0], as: UTF8.self),
                                    target: String(decoding: parts[1], as: UTF8.self),
                                    version: version))
    }

    static func parseHeaderField(_ line: Slice<UnsafeRawBufferPointer>) -> Result<HeaderField, RequestError> {
        if line.first == ASCII.space || line.first == ASCII.tab {
            return .failure(.malformed("obsolete line folding"))
        }
        guard let colon = line.firstIndex(of: ASCII.colon) else {
            return .failure(.malformed("header line without colon"))
        }
        let name = line[..<colon]
        // A token admits no whitespace, which also refuses `Name : value`.
        guard !name.isEmpty, name.allSatisfy(ASCII.isTokenByte) else {
            return .failure(.malformed("invalid header name"))
        }
        var value = line[(colon + 1)...]
        while let first = value.first, first == ASCII.space || first == ASCII.tab { value = value.dropFirst() }
        while let last = value.last, last == ASCII.space || last == ASCII.tab { value = value.dropLast() }
        guard !value.contains(where: { ASCII.isControl($0) && $0 != ASCII.tab }) else {
            return .failure(.malformed("invalid header value"))
        }
        return .success(HeaderField(name: String(decoding: name, as: UTF8.self),
                                    value: String(decoding: value, as: UTF8.self)))
    }

    /// Checks that need the whole head: exactly one Host (none is allowed in
    /// HTTP/1.0). Whether a body follows is `RequestBodyFraming`'s question.
    static func checkComplete(_ head: RequestHead) -> RequestError? {
        let hosts = head.values(of: "Host")
        if hosts.count > 1 { return .malformed("duplicate host") }
        if hosts.isEmpty && head.version == .http11 { return .malformed("missing host") }
        return nil
    }
}

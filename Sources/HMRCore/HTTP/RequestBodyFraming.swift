// How a request's body is delimited, decided from its head alone (RFC 9112
// section 6): no body, a Content-Length, or the chunked transfer coding.
//
// Ambiguous framing is refused, never resolved: a server that finds a body's
// end somewhere else than a proxy in front of it reads the rest of that body as
// a new request (request smuggling). `RequestBodyReader` then reads the body.

public enum RequestBodyFraming: Sendable, Equatable {
    /// Neither Transfer-Encoding nor Content-Length: a request without them has
    /// no body (RFC 9112 section 6.3), so the next byte starts the next request.
    case none
    /// Exactly this many bytes follow the head.
    case length(Int)
    /// Chunks, ended by a zero-size chunk and a (possibly empty) trailer section.
    case chunked

    public init(head: RequestHead) throws(RequestError) {
        let codings = head.values(of: "Transfer-Encoding")
        let lengths = head.values(of: "Content-Length")
        if !codings.isEmpty {
            // RFC 9112 section 6.1: HTTP/1.0 has no transfer codings, so a
            // Transfer-Encoding there means the framing is faulty.
            if head.version == .http10 { throw .malformed("transfer-encoding in an http/1.0 request") }
            // Section 6.3 lets Transfer-Encoding override Content-Length; a
            // proxy that reads the other one is the classic smuggling setup.
            if !lengths.isEmpty { throw .malformed("both transfer-encoding and content-length") }
            try Self.checkChunkedOnly(codings.flatMap(ASCII.listElements))
            self = .chunked
        } else if !lengths.isEmpty {
            self = .length(try Self.length(from: lengths))
        } else {
            self = .none
        }
    }

    /// For a route that takes a body: a request that does not say how long its
    /// body is gets 411, telling a client that meant to send one to frame it,
    /// instead of the route reading an empty document. An explicit
    /// `Content-Length: 0` is a body, empty, and passes.
    public func requireLength() -> RequestError? {
        self == .none ? .lengthRequired : nil
    }

    /// Only `chunked` alone is read. When chunked is not the final coding the
    /// body's end cannot be found, which RFC 9112 section 6.3 answers with 400.
    /// When it is final but other codings come before it (`gzip, chunked`) the
    /// framing is clear and only the content is encoded in a way hmrd does not
    /// decode: section 6.1 answers an unknown coding with 501.
    static func checkChunkedOnly(_ codings: [Substring]) throws(RequestError) {
        guard let last = codings.last else { throw .malformed("empty transfer-encoding") }
        for coding in codings {
            let name = ASCII.trimmingWhitespace(coding.prefix { $0 != ";" })
            guard !name.isEmpty, name.utf8.allSatisfy(ASCII.isTokenByte) else {
                throw .malformed("invalid transfer-encoding")
            }
        }
        guard ASCII.equalsIgnoringCase(String(last), "chunked") else {
            throw .malformed("final transfer coding is not chunked")
        }
        let before = codings.dropLast()
        if before.contains(where: { ASCII.equalsIgnoringCase(String($0), "chunked") }) {
            throw .malformed("chunked applied more than once")
        }
        if let first = before.first { throw .unsupportedTransferCoding(String(first)) }
    }

    /// Every Content-Length field, and every member of a list in one ("5, 5"),
    /// must be the same digit string (RFC 9110 section 8.6). Identical text, not
    /// just an equal number, is what that section allows a recipient to accept.
    static func length(from values: [String]) throws(RequestError) -> Int {
        let members = values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map(ASCII.trimmingWhitespace)
        for member in members where member.isEmpty || !member.utf8.allSatisfy(ASCII.isDigit) {
            throw .malformed("invalid content-length")
        }
        guard let first = members.first, members.allSatisfy({ $0 == first }) else {
            throw .malformed("conflicting content-length")
        }
        var length = 0
        for digit in first.utf8 {
            let (shifted, overflowShift) = length.multipliedReportingOverflow(by: 10)
            let (sum, overflowAdd) = shifted.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            // A length no Int can hold is larger than any limit a reader has.
            if overflowShift || overflowAdd { throw .bodyTooLarge }
            length = sum
        }
        return length
    }
}

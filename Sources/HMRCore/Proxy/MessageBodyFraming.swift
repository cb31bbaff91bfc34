// How a backend's response body is delimited, decided from its status line, its
// head and the request it answers (RFC 9112 section 6.3). `MessageBodyReader`
// then reads it.
//
// Unlike a request's, a response body may run until the connection closes.

public enum MessageBodyFraming: Sendable, Equatable {
    /// No body: the next byte starts the next response.
    case none
    /// Exactly this many bytes.
    case length(Int)
    /// Chunks, ended by a zero-size chunk and a (possibly empty) trailer section.
    case chunked
    /// Everything until the backend closes the connection.
    case untilClose

    /// The rules of RFC 9112 section 6.3 in its order. When both Transfer-Encoding
    /// and Content-Length are present, Transfer-Encoding wins and the response
    /// must be forwarded without the Content-Length (section 6.3, rule 3).
    public static func response(status: Int, requestMethod: String, headers: [HeaderField])
        throws(BodyError) -> MessageBodyFraming {
        // Rule 1. Methods are case-sensitive: only "HEAD" is HEAD.
        if requestMethod == "HEAD" || (100..<200).contains(status) || status == 204 || status == 304 {
            return .none
        }
        let named = { (name: String) in headers.filter { ASCII.equalsIgnoringCase($0.name, name) }.map(\.value) }
        let codings = named("Transfer-Encoding")
        if !codings.isEmpty {
            // Rule 4: chunked last delimits the body; any other last coding
            // leaves only the connection's close to end it.
            let last = codings.flatMap(ASCII.listElements).last.map { ASCII.trimmingWhitespace($0.prefix { $0 != ";" }) }
            return last.map { ASCII.equalsIgnoringCase(String($0), "chunked") } == true ? .chunked : .untilClose
        }
        let lengths = named("Content-Length")
        guard !lengths.isEmpty else { return .untilClose }
        do {
            return .length(try RequestBodyFraming.length(from: lengths))
        } catch {
            switch error {
            case .malformed(let reason): throw .invalidFraming(reason)
            default: throw .invalidFraming("content-length too large")
            }
        }
    }
}

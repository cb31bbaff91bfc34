// Why a backend's response body cannot be framed or read, worded for a log line.
//
// Any of them leaves the proxy unsure where the next response starts, so the
// connection to the backend is not reused after one.

public enum BodyError: Error, Sendable, Equatable {
    /// The head's framing fields are invalid (a Content-Length that is not a
    /// number, or several that differ).
    case invalidFraming(String)
    /// The chunked framing breaks RFC 9112 or one of `MessageBodyReader`'s bounds.
    case malformedChunks(String)
    /// The connection closed before the body's end.
    case truncated(String)

    public var message: String {
        switch self {
        case .invalidFraming(let reason): "invalid response framing: \(reason)"
        case .malformedChunks(let reason): "invalid chunked response body: \(reason)"
        case .truncated(let detail): "response body cut short: \(detail)"
        }
    }
}

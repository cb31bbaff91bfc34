// Why a backend's compressed body could not be decoded, worded for a log line.
//
// The proxy then has nothing to inject into and no way to send the page on whole,
// so the message names the coding and, for a bomb, the knob that bounds it.

public enum InflateError: Error, Sendable, Equatable {
    /// zlib refused the data; `reason` is its own message ("incorrect header check").
    case corrupt(ContentCoding, reason: String)
    /// The body ended inside the compressed stream.
    case truncated(ContentCoding)
    /// The decoded bytes passed `BodyInflater.outputLimit`.
    case tooLarge(limit: Int)
    /// zlib could not start or run (out of memory): nothing about the data.
    case zlib(String)

    public var message: String {
        switch self {
        case .corrupt(let coding, let reason): "\(coding.name) body is corrupt: \(reason)"
        case .truncated(let coding): "\(coding.name) body ended before its compressed stream did"
        case .tooLarge(let limit): "decoded body is larger than \(limit) bytes (BodyInflater.outputLimit)"
        case .zlib(let reason): "zlib failed: \(reason)"
        }
    }
}

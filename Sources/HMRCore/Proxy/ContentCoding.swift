// The content codings hmrd can undo on a backend's HTML before injecting its tag,
// and how a Content-Encoding header is read into one of them.
//
// Only gzip and deflate: zlib is on every machine, and a development backend that
// compresses at all sends one of them. Anything else is passed through untouched.

public enum ContentCoding: Sendable, Equatable {
    case gzip
    case deflate

    /// What a response's Content-Encoding says about its content.
    public enum Parsed: Sendable, Equatable {
        /// No header, an empty one, or only `identity`: the bytes are the content.
        case identity
        case coded(ContentCoding)
        /// Any other coding, or several stacked ("gzip, br"): the value as sent, trimmed.
        case unsupported(String)
    }

    /// The coding's name as a Content-Encoding header spells it.
    public var name: String {
        switch self {
        case .gzip: "gzip"
        case .deflate: "deflate"
        }
    }

    /// Reads a Content-Encoding value (all its fields joined with ", ", or nil
    /// when absent). Names fold case; `x-gzip` is gzip (RFC 9110 section 8.4.1.3);
    /// `identity` members change nothing and are dropped.
    public static func parse(_ headerValue: String?) -> Parsed {
        let codings = ASCII.listElements(headerValue ?? "")
            .filter { !ASCII.equalsIgnoringCase(String($0), "identity") }
        guard let only = codings.first else { return .identity }
        // Undoing one coding of two would still leave the HTML encoded.
        guard codings.count == 1 else { return .unsupported(codings.joined(separator: ", ")) }
        switch ASCII.lowercased(String(only)) {
        case "gzip", "x-gzip": return .coded(.gzip)
        case "deflate": return .coded(.deflate)
        default: return .unsupported(String(only))
        }
    }
}

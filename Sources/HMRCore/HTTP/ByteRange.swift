// The part of a file a request asks for with `Range: bytes=...` (RFC 9110 §14), for
// files sent from --serve. A `<video>` asks for ranges to seek, and Safari plays no
// media from a server that ignores them.
//
// One range is honoured. Several at once, a unit other than bytes, a malformed
// header, or an `If-Range` (whose validator hmrd cannot check, having no ETags) get
// the whole file, which the RFC allows; a range wholly past the end gets 416.

public enum ByteRange: Sendable, Equatable {
    /// The whole file, 200.
    case whole
    /// Bytes `first...last` of the file, 206.
    case part(first: Int, last: Int)
    /// No byte of the range is in the file, 416.
    case unsatisfiable

    /// What `head` asks for of a file of `size` bytes.
    public static func requested(in head: RequestHead, size: Int) -> ByteRange {
        let ranges = head.values(of: "Range")
        guard ranges.count == 1, head.value(of: "If-Range") == nil else { return .whole }
        return parse(ranges[0], size: size)
    }

    /// One `Range` header's value against a file of `size` bytes.
    public static func parse(_ value: String, size: Int) -> ByteRange {
        let text = ASCII.trimmingWhitespace(Substring(value))
        let unit = "bytes="
        guard text.utf8.count > unit.utf8.count,
              ASCII.equalsIgnoringCase(String(text.prefix(unit.count)), unit) else { return .whole }
        let spec = ASCII.trimmingWhitespace(text.dropFirst(unit.count))
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let start = ASCII.trimmingWhitespace(spec[..<dash])
        let end = ASCII.trimmingWhitespace(spec[spec.index(after: dash)...])
        if start.isEmpty {
            // `-n`: the last n bytes.
            guard let count = number(end) else { return .whole }
            guard count > 0, size > 0 else { return .unsatisfiable }
            return .part(first: max(0, size - count), last: size - 1)
        }
        guard let first = number(start) else { return .whole }
        var last = size - 1
        if !end.isEmpty {
            guard let asked = number(end), asked >= first else { return .whole }
            last = min(asked, size - 1)
        }
        return first < size ? .part(first: first, last: last) : .unsatisfiable
    }

    /// The status of the answer for a file of `size` bytes, and its headers about the
    /// length: Content-Length, Content-Range for a part or for none, and Accept-Ranges
    /// wherever a body follows.
    public func answer(size: Int) -> (status: HTTPStatus, headers: [HeaderField]) {
        let acceptRanges = HeaderField(name: "Accept-Ranges", value: "bytes")
        switch self {
        case .whole:
            return (.ok, [HeaderField(name: "Content-Length", value: String(size)), acceptRanges])
        case .part(let first, let last):
            return (.partialContent, [HeaderField(name: "Content-Length", value: String(last - first + 1)),
                                      HeaderField(name: "Content-Range", value: "bytes \(first)-\(last)/\(size)"),
                                      acceptRanges])
        case .unsatisfiable:
            return (.rangeNotSatisfiable, [HeaderField(name: "Content-Range", value: "bytes */\(size)"),
                                           HeaderField(name: "Content-Length", value: "0")])
        }
    }

    /// Decimal digits only; too many of them read as Int.max (past any file's end).
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy(ASCII.isDigit) else { return nil }
        return Int(text) ?? Int.max
    }
}

// Incremental, bounded reader of one request body, framed as its head said
// (`RequestBodyFraming`). Like `RequestHeadParser`, its answer does not depend
// on how the bytes were split, and it stops at the body's last byte: whatever
// follows is the next pipelined request and is left to the caller.
//
// Chunked framing is read one byte at a time through the states below, so a
// size line split across reads needs no buffer; chunk data is copied in bulk.

public struct RequestBodyReader: Sendable {
    /// Bodies larger than this are refused with 413. hmrd's routes take small
    /// JSON documents (a page's report, a sync event) of a few KiB; 64 KiB
    /// leaves room for them and bounds what one connection makes hmrd hold.
    public static let defaultLimit = 64 * 1024
    /// A chunk-size line (size and extensions, without its CRLF) longer than
    /// this is 400. A size needs at most 16 hex digits and hmrd ignores
    /// extensions, so 1 KiB admits any real one and refuses endless zeros.
    public static let maxChunkLineBytes = 1024
    /// The bytes of a chunked body that are not data (size lines, extensions,
    /// CRLFs, trailer section) are refused with 413 past this. Without it, many
    /// one-byte chunks with long extensions would cost far more to read than
    /// `limit` suggests. 16 KiB, like a head, also bounds the trailer fields.
    public static let maxChunkFramingBytes = 16 * 1024

    public enum Outcome: Sendable, Equatable {
        case needMore
        /// `consumed` counts the bytes of this feed's input that belonged to
        /// the body; the rest is the start of the next request.
        case complete(body: [UInt8], consumed: Int)
        case failed(RequestError)
    }

    /// Where in the body the next byte lands.
    enum State: Sendable {
        /// Content-Length bytes still to come (also `.none`, as 0).
        case length(remaining: Int)
        /// The hex size so far; `digits` is 0 before its first digit.
        case chunkSize(size: Int, digits: Int)
        /// Whitespace after the size, which only a `;` may follow (RFC 9112 BWS).
        case chunkSizeSpace(size: Int)
        /// Extensions are not interpreted, only bounded and kept free of controls.
        case chunkExtension(size: Int)
        /// The size line's CR was read; its LF must follow.
        case chunkSizeLineFeed(size: Int)
        case chunkData(remaining: Int)
        case chunkDataCarriageReturn
        case chunkDataLineFeed
        /// A trailer line (or the final empty line) is being collected.
        case trailerLine
        case trailerLineFeed
        /// The last byte of the body was read; the next feed reports it.
        case ended
        /// The body was handed out; the reader is spent.
        case delivered
        case failed(RequestError)
    }

    let limit: Int
    var state: State
    var body: [UInt8] = []
    /// Bytes of the current chunk-size line, bounded by `maxChunkLineBytes`.
    var lineByteCount = 0
    /// Non-data bytes of a chunked body, bounded by `maxChunkFramingBytes`.
    var framingByteCount = 0
    /// The current trailer line, checked as a header field, then dropped.
    var trailer: [UInt8] = []

    /// A declared length over `limit` fails here, so the first feed (an empty
    /// one will do, e.g. before answering `Expect: 100-continue`) reports 413
    /// before any of the body is read.
    public init(framing: RequestBodyFraming, limit: Int = RequestBodyReader.defaultLimit) {
        precondition(limit >= 0, "limit must not be negative")
        self.limit = limit
        switch framing {
        case .none:
            state = .length(remaining: 0)
        case .length(let length) where length > limit:
            state = .failed(.bodyTooLarge)
        case .length(let length):
            state = .length(remaining: length)
            body.reserveCapacity(length)
        case .chunked:
            state = .chunkSize(size: 0, digits: 0)
        }
    }

    public mutating func feed(_ bytes: [UInt8]) -> Outcome {
        bytes.withUnsafeBytes { feed($0) }
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        var index = 0
        while true {
            switch state {
            case .failed(let error):
                return .failed(error)
            case .length(remaining: 0), .ended:
                state = .delivered
                defer { body = [] }
                return .complete(body: body, consumed: index)
            case .delivered:
                assertionFailure("RequestBodyReader: fed after its body was complete")
                return .complete(body: [], consumed: 0)
            case .length(let remaining):
                guard index < bytes.count else { return .needMore }
                let count = min(remaining, bytes.count - index)
                body.append(contentsOf: bytes[index..<(index + count)])
                index += count
                state = .length(remaining: remaining - count)
            case .chunkData(let remaining):
                guard index < bytes.count else { return .needMore }
                let count = min(remaining, bytes.count - index)
                body.append(contentsOf: bytes[index..<(index + count)])
                index += count
                state = remaining == count ? .chunkDataCarriageReturn : .chunkData(remaining: remaining - count)
            default:
                guard index < bytes.count else { return .needMore }
                let byte = bytes[index]
                index += 1
                if let error = takeFramingByte(byte) {
                    state = .failed(error)
                    return .failed(error)
                }
            }
        }
    }

    /// One byte of chunked framing: moves `state` on, or says why the body is refused.
    private mutating func takeFramingByte(_ byte: UInt8) -> RequestError? {
        // Counted before it is interpreted, like the head's limit, so the byte
        // that crosses the bound fails whatever it is.
        framingByteCount += 1
        guard framingByteCount <= Self.maxChunkFramingBytes else { return .bodyTooLarge }
        switch state {
        case .chunkSize(let size, let digits):
            if let value = Self.hexValue(byte) {
                let (shifted, overflowShift) = size.multipliedReportingOverflow(by: 16)
                let grown = shifted | value
                // Known too large as soon as this digit is read: more digits
                // only make the size larger.
                if overflowShift || grown > limit - body.count { return .bodyTooLarge }
                state = .chunkSize(size: grown, digits: digits + 1)
                return countLineByte()
            }
            guard digits > 0 else { return .malformed("invalid chunk size") }
            return afterSize(byte, size: size)
        case .chunkSizeSpace(let size):
            switch byte {
            case ASCII.space, ASCII.tab, UInt8(ascii: ";"): return afterSize(byte, size: size)
            default: return .malformed("invalid chunk size")
            }
        case .chunkExtension(let size):
            if byte == ASCII.carriageReturn { state = .chunkSizeLineFeed(size: size); return nil }
            if byte == ASCII.lineFeed { return .malformed("bare line feed in chunked body") }
            if ASCII.isControl(byte) && byte != ASCII.tab { return .malformed("invalid chunk extension") }
            return countLineByte()
        case .chunkSizeLineFeed(let size):
            guard byte == ASCII.lineFeed else { return .malformed("bare carriage return in chunked body") }
            lineByteCount = 0
            state = size == 0 ? .trailerLine : .chunkData(remaining: size)
            return nil
        case .chunkDataCarriageReturn:
            guard byte == ASCII.carriageReturn else { return .malformed("chunk data not followed by crlf") }
            state = .chunkDataLineFeed
            return nil
        case .chunkDataLineFeed:
            guard byte == ASCII.lineFeed else { return .malformed("chunk data not followed by crlf") }
            state = .chunkSize(size: 0, digits: 0)
            return nil
        case .trailerLine:
            if byte == ASCII.carriageReturn { state = .trailerLineFeed; return nil }
            if byte == ASCII.lineFeed { return .malformed("bare line feed in chunked body") }
            trailer.append(byte)
            return nil
        case .trailerLineFeed:
            guard byte == ASCII.lineFeed else { return .malformed("bare carriage return in chunked body") }
            return endOfTrailerLine()
        case .length, .chunkData, .ended, .delivered, .failed:
            assertionFailure("RequestBodyReader: framing byte in state \(state)")
            return .malformed("internal error")
        }
    }

    /// After a size's digits: the line ends, or an extension starts after
    /// optional whitespace. Bare LF ends nothing here: the head tolerates it,
    /// but a chunk line is where lenient line ends have let bodies smuggle requests.
    private mutating func afterSize(_ byte: UInt8, size: Int) -> RequestError? {
        switch byte {
        case ASCII.carriageReturn: state = .chunkSizeLineFeed(size: size); return nil
        case ASCII.lineFeed: return .malformed("bare line feed in chunked body")
        case UInt8(ascii: ";"): state = .chunkExtension(size: size)
        case ASCII.space, ASCII.tab: state = .chunkSizeSpace(size: size)
        default: return .malformed("invalid chunk size")
        }
        return countLineByte()
    }

    private mutating func countLineByte() -> RequestError? {
        lineByteCount += 1
        return lineByteCount > Self.maxChunkLineBytes ? .malformed("chunk line too long") : nil
    }

    /// Trailer fields are read only to find the body's end, and dropped: no
    /// route needs one, and merging them into the head would let a body
    /// change headers the policy already checked.
    private mutating func endOfTrailerLine() -> RequestError? {
        if trailer.isEmpty { state = .ended; return nil }
        let field = trailer.withUnsafeBytes { RequestHeadParser.parseHeaderField($0[...]) }
        trailer.removeAll(keepingCapacity: true)
        if case .failure = field { return .malformed("invalid trailer field") }
        state = .trailerLine
        return nil
    }

    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}

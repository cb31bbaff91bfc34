// The chunked transfer coding (RFC 9112 section 7.1), read incrementally: the one
// state machine behind `RequestBodyReader` (a client's small body, read strictly)
// and `MessageBodyReader` (a backend's answer, any size). Each sets its bounds.
//
// Framing is read one byte at a time, so a size line split across reads needs no
// buffer; chunk data is handed out as ranges of the input, never copied here.

struct ChunkedBodyDecoder: Sendable {
    struct Limits: Sendable {
        /// Data bytes the whole body may hold: a size that would pass it fails
        /// as soon as its digits are read. `Int.max` only guards against overflow.
        var data: Int
        /// A chunk-size line (size and extensions), without its line end.
        var line: Int
        /// Every non-data byte of the body together (size lines, line ends, trailers).
        var framing: Int
        /// The trailer section, its line ends included.
        var trailerSection: Int
        /// Whether a bare LF ends a line as CRLF does.
        var bareLineFeed: Bool
    }

    /// Why the framing is refused; each reader maps it to its own error.
    enum Failure: Error, Sendable, Equatable {
        /// Grammar: a short lowercase phrase.
        case malformed(String)
        /// A size bound of `Limits`, or a size no Int holds: which one, as a phrase.
        case overLimit(String)
    }

    /// What `next` found.
    enum Event: Sendable, Equatable {
        /// These bytes of the input are chunk data.
        case data(Range<Int>)
        /// The input ran out inside the body.
        case needMore
        /// The last byte of the body (the trailer section's empty line) was read.
        case ended
    }

    /// Where in the body the next byte lands.
    enum State: Sendable {
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
        case ended
    }

    let limits: Limits
    private var state = State.chunkSize(size: 0, digits: 0)
    /// Data bytes read so far, bounded by `limits.data`.
    private var dataCount = 0
    private var lineByteCount = 0
    private var framingByteCount = 0
    private var trailerByteCount = 0
    /// The current trailer line, checked as a header field, then dropped.
    private var trailer: [UInt8] = []

    init(limits: Limits) {
        self.limits = limits
    }

    /// Reads `bytes` from `index` on up to the next run of chunk data, the end
    /// of the input or the body's last byte; `index` is left just past what was
    /// taken. A failure leaves the decoder unusable.
    mutating func next(_ bytes: UnsafeRawBufferPointer, from index: inout Int) throws(Failure) -> Event {
        while true {
            switch state {
            case .ended:
                return .ended
            case .chunkData(let remaining):
                guard index < bytes.count else { return .needMore }
                let count = min(remaining, bytes.count - index)
                defer { index += count }
                dataCount += count
                state = remaining == count ? .chunkDataCarriageReturn : .chunkData(remaining: remaining - count)
                return .data(index..<(index + count))
            default:
                guard index < bytes.count else { return .needMore }
                let byte = bytes[index]
                index += 1
                try takeFramingByte(byte)
            }
        }
    }

    /// One byte of framing: moves `state` on, or says why the body is refused.
    private mutating func takeFramingByte(_ byte: UInt8) throws(Failure) {
        // Counted before it is interpreted, like the head's limit, so the byte
        // that crosses the bound fails whatever it is.
        framingByteCount += 1
        guard framingByteCount <= limits.framing else { throw .overLimit("chunked framing too long") }
        switch state {
        case .chunkSize(let size, let digits):
            if let value = PercentDecoding.hexValue(byte).map(Int.init) {
                let (shifted, overflowShift) = size.multipliedReportingOverflow(by: 16)
                let grown = shifted | value
                // Known too large as soon as this digit is read: more digits
                // only make the size larger.
                if overflowShift || grown > limits.data - dataCount { throw .overLimit("chunk size too large") }
                state = .chunkSize(size: grown, digits: digits + 1)
                return try countLineByte()
            }
            guard digits > 0 else { throw .malformed("invalid chunk size") }
            try afterSize(byte, size: size)
        case .chunkSizeSpace(let size):
            switch byte {
            case ASCII.space, ASCII.tab, UInt8(ascii: ";"): try afterSize(byte, size: size)
            default: throw .malformed("invalid chunk size")
            }
        case .chunkExtension(let size):
            if byte == ASCII.carriageReturn { state = .chunkSizeLineFeed(size: size); return }
            if byte == ASCII.lineFeed { return try endOfSizeLine(size: size, bareLineFeed: true) }
            if ASCII.isControl(byte) && byte != ASCII.tab { throw .malformed("invalid chunk extension") }
            try countLineByte()
        case .chunkSizeLineFeed(let size):
            guard byte == ASCII.lineFeed else { throw .malformed("bare carriage return in chunked body") }
            try endOfSizeLine(size: size, bareLineFeed: false)
        case .chunkDataCarriageReturn:
            if byte == ASCII.lineFeed, limits.bareLineFeed { state = .chunkSize(size: 0, digits: 0); return }
            guard byte == ASCII.carriageReturn else { throw .malformed("chunk data not followed by crlf") }
            state = .chunkDataLineFeed
        case .chunkDataLineFeed:
            guard byte == ASCII.lineFeed else { throw .malformed("chunk data not followed by crlf") }
            state = .chunkSize(size: 0, digits: 0)
        case .trailerLine:
            try countTrailerByte()
            if byte == ASCII.carriageReturn { state = .trailerLineFeed; return }
            if byte == ASCII.lineFeed {
                guard limits.bareLineFeed else { throw .malformed("bare line feed in chunked body") }
                return try endOfTrailerLine()
            }
            trailer.append(byte)
        case .trailerLineFeed:
            try countTrailerByte()
            guard byte == ASCII.lineFeed else { throw .malformed("bare carriage return in chunked body") }
            try endOfTrailerLine()
        case .chunkData, .ended:
            assertionFailure("ChunkedBodyDecoder: framing byte in state \(state)")
            throw .malformed("internal error")
        }
    }

    /// After a size's digits: the line ends, or an extension starts after
    /// optional whitespace. Bare LF ends the line only where `limits` allow it:
    /// a chunk line is where lenient line ends have let bodies smuggle requests.
    private mutating func afterSize(_ byte: UInt8, size: Int) throws(Failure) {
        switch byte {
        case ASCII.carriageReturn: state = .chunkSizeLineFeed(size: size); return
        case ASCII.lineFeed: return try endOfSizeLine(size: size, bareLineFeed: true)
        case UInt8(ascii: ";"): state = .chunkExtension(size: size)
        case ASCII.space, ASCII.tab: state = .chunkSizeSpace(size: size)
        default: throw .malformed("invalid chunk size")
        }
        try countLineByte()
    }

    private mutating func endOfSizeLine(size: Int, bareLineFeed: Bool) throws(Failure) {
        if bareLineFeed && !limits.bareLineFeed { throw .malformed("bare line feed in chunked body") }
        lineByteCount = 0
        state = size == 0 ? .trailerLine : .chunkData(remaining: size)
    }

    private mutating func countLineByte() throws(Failure) {
        lineByteCount += 1
        if lineByteCount > limits.line { throw .malformed("chunk line too long") }
    }

    private mutating func countTrailerByte() throws(Failure) {
        trailerByteCount += 1
        if trailerByteCount > limits.trailerSection { throw .overLimit("trailer section too long") }
    }

    /// Trailer fields are read only to find the body's end, and dropped: merging
    /// them into the head would let a body change headers already checked.
    private mutating func endOfTrailerLine() throws(Failure) {
        if trailer.isEmpty { state = .ended; return }
        let field = trailer.withUnsafeBytes { RequestHeadParser.parseHeaderField($0[...]) }
        trailer.removeAll(keepingCapacity: true)
        if case .failure = field { throw .malformed("invalid trailer field") }
        state = .trailerLine
    }
}

// Incremental reader of one backend response body, framed as `MessageBodyFraming`
// said. It finds the body's end, so a kept-alive connection's next response starts
// at the right byte, and decodes the body's content only when asked to.
//
// Forwarding passes the raw bytes on (chunk framing and all) and asks for no
// payload, so a large download is neither copied nor bounded; injecting asks for it.

public struct MessageBodyReader: Sendable {
    /// A chunk-size line longer than this is refused: it admits any size with
    /// any extension a real server sends, like `RequestBodyReader`'s.
    public static let maxChunkLineBytes = RequestBodyReader.maxChunkLineBytes
    /// Trailer fields are skipped, but not forever: 16 KiB, like a head.
    public static let maxTrailerBytes = 16 * 1024

    enum State: Sendable {
        case length(remaining: Int)
        /// `chunks` reads the body.
        case chunked
        case untilClose
        case done
        case failed(BodyError)
    }

    private var state: State
    private var chunks: ChunkedBodyDecoder
    /// Body bytes (framing included) read so far, for a truncation's message.
    private var received = 0

    public init(framing: MessageBodyFraming) {
        // A backend's data is unbounded (a download streams through) and its
        // framing is counted per line; bare LF is tolerated as browsers do.
        chunks = ChunkedBodyDecoder(limits: .init(data: .max, line: Self.maxChunkLineBytes, framing: .max,
                                                  trailerSection: Self.maxTrailerBytes, bareLineFeed: true))
        switch framing {
        case .none, .length(0): state = .done
        case .length(let length): state = .length(remaining: length)
        case .chunked: state = .chunked
        case .untilClose: state = .untilClose
        }
    }

    /// Bytes of a Content-Length body still to come; nil for other framings.
    public var remainingLength: Int? {
        if case .length(let remaining) = state { remaining } else { nil }
    }

    /// Whether the body's last byte was read (for `untilClose`: the input ended).
    public var isDone: Bool {
        if case .done = state { true } else { false }
    }

    public mutating func feed(_ bytes: [UInt8], payload: Bool) throws(BodyError) -> BodyStep {
        var result: Result<BodyStep, BodyError> = .success(BodyStep())
        // withUnsafeBytes rethrows untyped errors, so the typed one rides in a Result.
        bytes.withUnsafeBytes { raw in result = Result { () throws(BodyError) in try feed(raw, payload: payload) } }
        return try result.get()
    }

    /// Takes the bytes of `bytes` that belong to this body and, when `payload` is
    /// true, hands out their content. Feeding after the end takes nothing; a
    /// failure is final and thrown again by later calls.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, payload: Bool) throws(BodyError) -> BodyStep {
        var step = BodyStep()
        switch state {
        case .failed(let error):
            throw error
        case .done:
            break
        case .length(let remaining):
            step.consumed = min(remaining, bytes.count)
            state = remaining == step.consumed ? .done : .length(remaining: remaining - step.consumed)
            if payload { step.payload = Array(bytes[..<step.consumed]) }
        case .untilClose:
            step.consumed = bytes.count
            if payload { step.payload = Array(bytes) }
        case .chunked:
            do {
                readChunks: while true {
                    switch try chunks.next(bytes, from: &step.consumed) {
                    case .data(let range): if payload { step.payload += bytes[range] }
                    case .needMore: break readChunks
                    case .ended: state = .done; break readChunks
                    }
                }
            } catch {
                let failure: BodyError = switch error {
                case .malformed(let reason), .overLimit(let reason): .malformedChunks(reason)
                }
                state = .failed(failure)
                throw failure
            }
        }
        received += step.consumed
        step.done = isDone
        return step
    }

    /// Says the connection closed: the end of an `untilClose` body, and a
    /// truncation for any other that has not ended.
    public mutating func endOfInput() throws(BodyError) {
        let failure: BodyError
        switch state {
        case .failed(let error): throw error
        case .done: return
        case .untilClose: state = .done; return
        case .length(let remaining):
            failure = .truncated("ended after \(received) of \(received + remaining) bytes")
        case .chunked:
            failure = .truncated("ended after \(received) bytes, before the chunked body's end")
        }
        state = .failed(failure)
        throw failure
    }
}

/// What one `MessageBodyReader.feed` took.
public struct BodyStep: Sendable, Equatable {
    /// How many of the fed bytes belong to this body; the rest start the next response.
    public var consumed: Int
    /// The content in those bytes (chunk framing removed), when it was asked for.
    public var payload: [UInt8]
    /// The body ended with this feed or before it.
    public var done: Bool

    public init(consumed: Int = 0, payload: [UInt8] = [], done: Bool = false) {
        self.consumed = consumed
        self.payload = payload
        self.done = done
    }
}

// Incremental request-head parser: bytes arrive in arbitrary pieces, and the
// answer is the same whichever way the head was split.
//
// Each byte is looked at once. Bytes are copied into a line buffer until a LF
// ends the line, which is then parsed on the spot (see the `+Lines` extension),
// so a head sent one byte at a time costs the same as one sent whole. The size
// limit is checked against the running byte count before a line is parsed, so
// an oversized head is refused as soon as it crosses the limit, not at its end.
// Only the head is parsed: whatever follows the empty line (a body, framed as
// RequestBodyFraming says, or the next pipelined request) is left to the caller.

public struct RequestHeadParser: Sendable {
    /// Heads larger than this are refused with 431. 16 KiB fits any browser
    /// request with a generous cookie jar, and bounds the memory of each
    /// connection that has not yet sent a full head.
    public static let defaultMaxHeadBytes = 16 * 1024
    /// More header fields than this are refused with 431. Browsers send about
    /// 20; 100 is the limit common servers (nginx's default buffers, Go) allow.
    public static let maxHeaderFields = 100

    public enum Outcome: Sendable, Equatable {
        case needMore
        /// `consumed` counts the bytes of this feed's input that belonged to the
        /// head; the rest is the start of the next request.
        case complete(RequestHead, consumed: Int)
        case failed(RequestError)
    }

    let maxHeadBytes: Int
    /// The current, not yet terminated line.
    var line: [UInt8] = []
    /// Bytes of the current head received so far, leading empty lines included.
    var headByteCount = 0
    var requestLine: RequestLine?
    var headers: [HeaderField] = []
    /// Once failed, the parser keeps answering the same failure until `reset()`.
    var failure: RequestError?

    public init(maxHeadBytes: Int = RequestHeadParser.defaultMaxHeadBytes) {
        precondition(maxHeadBytes > 0, "maxHeadBytes must be positive")
        self.maxHeadBytes = maxHeadBytes
    }

    /// How many bytes of a partial head are held (0 between requests).
    public var bufferedByteCount: Int { headByteCount }

    /// Forgets any partial head or failure, ready for the next request on a
    /// keep-alive connection. A `.complete` outcome already leaves the parser
    /// in this state, so calling it after one is harmless.
    public mutating func reset() {
        line.removeAll(keepingCapacity: true)
        headByteCount = 0
        requestLine = nil
        headers = []
        failure = nil
    }

    public mutating func feed(_ bytes: [UInt8]) -> Outcome {
        bytes.withUnsafeBytes { feed($0) }
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        if let failure { return .failed(failure) }
        var start = 0
        while start < bytes.count {
            let lineFeed = bytes[start...].firstIndex(of: ASCII.lineFeed)
            let end = lineFeed.map { $0 + 1 } ?? bytes.count
            // Counting before parsing makes the limit independent of how the
            // input was split: the byte that crosses it always arrives before
            // the line it belongs to can be parsed.
            guard headByteCount + (end - start) <= maxHeadBytes else {
                return fail(.headTooLarge)
            }
            headByteCount += end - start
            guard let lineFeed else {
                line.append(contentsOf: bytes[start..<end])
                return .needMore
            }
            let step = takeLine(UnsafeRawBufferPointer(rebasing: bytes[start..<lineFeed]))
            start = end
            switch step {
            case .next:
                continue
            case .failed(let error):
                return fail(error)
            case .complete(let head):
                reset()
                return .complete(head, consumed: start)
            }
        }
        return .needMore
    }

    /// Parses one line whose tail (without its LF) is `tail`, joining it to
    /// any part of the line buffered by earlier feeds.
    private mutating func takeLine(_ tail: UnsafeRawBufferPointer) -> LineStep {
        if line.isEmpty { return parseLine(tail) }
        // Move the buffer out so parsing can mutate `self` while reading it.
        var whole = line
        line = []
        whole.append(contentsOf: tail)
        let step = whole.withUnsafeBytes { parseLine($0) }
        whole.removeAll(keepingCapacity: true)
        line = whole
        return step
    }

    private mutating func fail(_ error: RequestError) -> Outcome {
        failure = error
        return .failed(error)
    }
}

// Incremental, bounded reader of one request body, framed as its head said
// (`RequestBodyFraming`). Like `RequestHeadParser`, its answer does not depend
// on how the bytes were split, and it stops at the body's last byte: whatever
// follows is the next pipelined request and is left to the caller.
//
// Chunked framing is read by `ChunkedBodyDecoder`, strictly (CRLF only) and
// within the bounds below; chunk data is copied in bulk.

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
        /// `chunks` reads the body.
        case chunked
        /// The last byte of the body was read; the next feed reports it.
        case ended
        /// The body was handed out; the reader is spent.
        case delivered
        case failed(RequestError)
    }

    var state: State
    var body: [UInt8] = []
    var chunks: ChunkedBodyDecoder

    /// A declared length over `limit` fails here, so the first feed (an empty
    /// one will do, e.g. before answering `Expect: 100-continue`) reports 413
    /// before any of the body is read.
    public init(framing: RequestBodyFraming, limit: Int = RequestBodyReader.defaultLimit) {
        precondition(limit >= 0, "limit must not be negative")
        chunks = ChunkedBodyDecoder(limits: .init(data: limit, line: Self.maxChunkLineBytes,
                                                  framing: Self.maxChunkFramingBytes, trailerSection: .max,
                                                  bareLineFeed: false))
        switch framing {
        case .none:
            state = .length(remaining: 0)
        case .length(let length) where length > limit:
            state = .failed(.bodyTooLarge)
        case .length(let length):
            state = .length(remaining: length)
            body.reserveCapacity(length)
        case .chunked:
            state = .chunked
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
            case .chunked:
                do {
                    switch try chunks.next(bytes, from: &index) {
                    case .data(let range): body.append(contentsOf: bytes[range])
                    case .needMore: return .needMore
                    case .ended: state = .ended
                    }
                } catch {
                    let failure: RequestError = switch error {
                    case .malformed(let reason): .malformed(reason)
                    case .overLimit: .bodyTooLarge
                    }
                    state = .failed(failure)
                    return .failed(failure)
                }
            }
        }
    }
}

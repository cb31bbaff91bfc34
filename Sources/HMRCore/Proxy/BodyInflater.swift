// Decodes a gzip or deflate body as it arrives, so the proxy can inject into HTML
// a backend compressed. One zlib stream per body, owned here and ended in deinit.
//
// "deflate" should be zlib-wrapped (RFC 9110 section 8.4.1.2) but some servers
// send raw deflate; the first two bytes tell which (see `windowBits(forHeader:)`).

internal import CZlib

public final class BodyInflater {
    /// The decoded size past which a body is refused: a page is never near
    /// it, and a few KiB of gzip can otherwise expand to gigabytes in memory.
    public static let defaultOutputLimit = 64 * 1024 * 1024
    /// Output produced per zlib call; the feed's result grows by this much at a time.
    static let scratchBytes = 16 * 1024

    public let encoding: ContentCoding
    /// Decoding fails once more than this many bytes came out. May be changed
    /// between feeds.
    public var outputLimit: Int
    /// Decoded bytes so far.
    public private(set) var outputCount = 0

    enum Phase {
        /// Before zlib starts: deflate waits for two bytes to choose its format.
        case header
        case inflating
        /// A gzip member ended: two bytes say whether another one follows.
        case nextMember
        /// The compressed data ended; whatever follows is ignored.
        case trailing
        case failed(InflateError)
    }

    private var phase = Phase.header
    private let stream: UnsafeMutablePointer<z_stream>
    private var started = false
    private let scratch: UnsafeMutablePointer<UInt8>
    /// The first bytes of a stream or member, kept until there are enough to decide.
    private let held: UnsafeMutableRawBufferPointer
    private var heldCount = 0

    public init(encoding: ContentCoding, outputLimit: Int = BodyInflater.defaultOutputLimit) {
        self.encoding = encoding
        self.outputLimit = outputLimit
        // Allocated rather than stored inline: zlib keeps a pointer to the
        // z_stream and checks it, so it must never move.
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        scratch = .allocate(capacity: Self.scratchBytes)
        held = .allocate(byteCount: 2, alignment: 1)
    }

    deinit {
        if started { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
        held.deallocate()
    }

    public func feed(_ bytes: [UInt8]) throws(InflateError) -> [UInt8] {
        var result: Result<[UInt8], InflateError> = .success([])
        // withUnsafeBytes rethrows untyped errors, so the typed one rides in a Result.
        bytes.withUnsafeBytes { raw in result = Result { () throws(InflateError) in try feed(raw) } }
        return try result.get()
    }

    /// The bytes decoded from `bytes`, possibly none yet. A failure is final:
    /// later feeds and `finish` throw it again.
    public func feed(_ bytes: UnsafeRawBufferPointer) throws(InflateError) -> [UInt8] {
        if case .failed(let error) = phase { throw error }
        var output: [UInt8] = []
        do {
            try take(bytes, into: &output)
        } catch {
            phase = .failed(error)
            throw error
        }
        return output
    }

    /// Says the body ended: fails if it ended inside the compressed stream. An
    /// empty body is fine (no output): servers mark empty answers gzip too.
    public func finish() throws(InflateError) {
        switch phase {
        case .failed(let error): throw error
        case .header where heldCount == 0, .nextMember, .trailing: return
        case .header, .inflating:
            phase = .failed(.truncated(encoding))
            throw .truncated(encoding)
        }
    }

    private func take(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(InflateError) {
        var offset = 0
        while offset < input.count {
            switch phase {
            case .header, .nextMember:
                // gzip's first member needs no look ahead: zlib checks its magic.
                let needed = if case .header = phase, encoding == .gzip { 0 } else { 2 }
                let count = min(needed - heldCount, input.count - offset)
                UnsafeMutableRawBufferPointer(rebasing: held[heldCount..<(heldCount + count)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: input[offset..<(offset + count)]))
                heldCount += count
                offset += count
                guard heldCount == needed else { continue }
                let first = UnsafeRawBufferPointer(rebasing: held[..<heldCount])
                heldCount = 0
                guard try startMember(first) else { phase = .trailing; continue }
                phase = .inflating
                if try run(first, into: &output).ended { memberEnded() }
            case .inflating:
                let (consumed, ended) = try run(UnsafeRawBufferPointer(rebasing: input[offset...]), into: &output)
                offset += consumed
                if ended { memberEnded() }
            case .trailing:
                return
            case .failed:
                assertionFailure("BodyInflater: took input after a failure")
                return
            }
        }
    }

    /// Starts zlib on the first stream, or on a further gzip member when `first`
    /// is gzip's magic. False: the bytes after a member are not one, and are ignored.
    private func startMember(_ first: UnsafeRawBufferPointer) throws(InflateError) -> Bool {
        if started {
            guard first.elementsEqual([0x1F, 0x8B]) else { return false }
            guard inflateReset(stream) == Z_OK else { throw .zlib("inflateReset failed") }
            return true
        }
        let windowBits = encoding == .gzip ? 15 + 16 : Self.windowBits(forHeader: first)
        let status = czlib_inflate_init2(stream, windowBits)
        guard status == Z_OK else { throw .zlib(status == Z_MEM_ERROR ? "out of memory" : "inflateInit2 returned \(status)") }
        started = true
        return true
    }

    /// Gzip allows several members one after the other (RFC 1952 section 2.2)
    /// and decoders join them; zlib and raw deflate streams end for good. Bytes
    /// after the end that start no member are ignored, as gzip(1) and browsers do.
    private func memberEnded() {
        phase = encoding == .gzip ? .nextMember : .trailing
    }

    /// A zlib header (RFC 1950): method 8, a window of at most 32 KiB, and a
    /// check making the pair a multiple of 31. Raw deflate cannot look like
    /// one unless its encoder wrote non-zero padding in a stored block's first
    /// byte, which zlib's and other encoders never do.
    static func windowBits(forHeader bytes: UnsafeRawBufferPointer) -> Int32 {
        let cmf = bytes[0], flg = bytes[1]
        let zlibWrapped = cmf & 0x0F == 8 && cmf >> 4 <= 7 && (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0
        return zlibWrapped ? 15 : -15
    }

    /// Inflates `input` until it is used up or the stream ends; says how much
    /// was taken. zlib holds what it cannot decode yet, so nothing is re-fed.
    private func run(_ input: UnsafeRawBufferPointer, into output: inout [UInt8])
        throws(InflateError) -> (consumed: Int, ended: Bool) {
        guard let base = input.baseAddress, !input.isEmpty else { return (0, false) }
        // avail_in is 32 bits: a larger piece is taken in parts by the caller's loop.
        let offered = min(input.count, Int(UInt32.max))
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(offered)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            stream.pointee.next_out = scratch
            stream.pointee.avail_out = UInt32(Self.scratchBytes)
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = Self.scratchBytes - Int(stream.pointee.avail_out)
            output.append(contentsOf: UnsafeBufferPointer(start: scratch, count: produced))
            outputCount += produced
            if outputCount > outputLimit { throw .tooLarge(limit: outputLimit) }
            let consumed = offered - Int(stream.pointee.avail_in)
            switch status {
            case Z_STREAM_END:
                return (consumed, true)
            case Z_OK where stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0:
                continue
            case Z_OK, Z_BUF_ERROR:
                // All output out; once all input is taken too, the rest is in a
                // later feed. Input left with room to write would loop forever.
                guard stream.pointee.avail_in == 0 else { throw .zlib("inflate made no progress") }
                return (consumed, false)
            case Z_NEED_DICT:
                throw .corrupt(encoding, reason: "needs a preset dictionary")
            case Z_DATA_ERROR:
                throw .corrupt(encoding, reason: stream.pointee.msg.map { String(cString: $0) } ?? "invalid data")
            case Z_MEM_ERROR:
                throw .zlib("out of memory")
            default:
                throw .zlib("inflate returned \(status)")
            }
        }
    }
}

// The last bytes of a build's output, bounded: what a failed build's `errors` carry
// and the overlay shows. Cut at a line start, so no colour code or character is
// cut in half, and marked as cut.

public struct OutputTail: Sendable {
    /// Enough for a compiler's last screenful of errors.
    public static let limit = 16 * 1024
    private var bytes: [UInt8] = []
    private var truncated = false

    public init() {}

    public mutating func append(_ chunk: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: chunk)
        if bytes.count > OutputTail.limit * 2 {
            bytes.removeFirst(bytes.count - OutputTail.limit)
            truncated = true
        }
    }

    public var text: String {
        var kept = bytes.count > OutputTail.limit ? Array(bytes.suffix(OutputTail.limit)) : bytes
        var cut = truncated || bytes.count > OutputTail.limit
        if cut, let newline = kept.firstIndex(of: 0x0A) {
            // Start at a line boundary so a colour code or character is not cut in half.
            kept.removeFirst(newline + 1)
            cut = true
        }
        return (cut ? "…\n" : "") + String(decoding: kept, as: UTF8.self)
    }
}

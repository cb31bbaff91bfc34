// Writes a body in the chunked transfer coding (RFC 9112 section 7.1), for an
// answer whose length is not known when its head is sent: a decoded, injected page.
//
// An empty chunk would read as the last one, so `chunk` writes none for no bytes.

public enum ChunkedEncoding {
    /// The zero-size chunk and the empty trailer section that end a body.
    public static let last: [UInt8] = Array("0\r\n\r\n".utf8)

    /// `bytes` as one chunk: lowercase hex size, CRLF, the bytes, CRLF. Empty
    /// for no bytes, so a caller cannot end the body by accident.
    public static func chunk(_ bytes: some Collection<UInt8>) -> [UInt8] { chunk(Array(bytes)) }

    /// As above, for an array without generic code in between.
    public static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        let size = String(bytes.count, radix: 16).utf8
        var chunk: [UInt8] = []
        chunk.reserveCapacity(size.count + bytes.count + 4)
        chunk += size
        chunk += [ASCII.carriageReturn, ASCII.lineFeed]
        chunk += bytes
        chunk += [ASCII.carriageReturn, ASCII.lineFeed]
        return chunk
    }
}

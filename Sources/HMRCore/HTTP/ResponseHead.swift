// A response's status line and header fields, encoded byte for byte.
//
// Header values may be built from request data (a redirect's Location, say),
// so encoding replaces any CR, LF or other control byte with a space: a
// response can never be split into two, whatever a caller passes in.

public struct ResponseHead: Sendable, Equatable {
    public var status: HTTPStatus
    public var headers: [HeaderField]

    public init(status: HTTPStatus, headers: [HeaderField]) {
        self.status = status
        self.headers = headers
    }

    /// `HTTP/1.1 200 OK\r\nName: value\r\n...\r\n\r\n`
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + headers.count * 32)
        let lineEnd = [ASCII.carriageReturn, ASCII.lineFeed]
        append("HTTP/1.1 \(status.code) \(status.reason)", to: &bytes)
        bytes += lineEnd
        for field in headers {
            append(field.name, to: &bytes)
            bytes += [ASCII.colon, ASCII.space]
            append(field.value, to: &bytes)
            bytes += lineEnd
        }
        bytes += lineEnd
        return bytes
    }

    /// Appends `text` with every control byte but HTAB turned into a space.
    private func append(_ text: String, to bytes: inout [UInt8]) {
        for byte in text.utf8 {
            bytes.append(ASCII.isControl(byte) && byte != ASCII.tab ? ASCII.space : byte)
        }
    }
}

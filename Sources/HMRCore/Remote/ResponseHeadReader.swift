// Reads the head of an HTTP/1.1 response, for the small client in `hmrd status`
// and `hmrd wait`: the status code, the header fields, and where the body starts.
//
// Only what those commands need from the daemon's own answers; anything that is
// not a plausible HTTP/1.x head is refused, so a different server on the port is
// reported as such rather than misread.

public struct ResponseStart: Sendable, Equatable {
    public var status: Int
    public var headers: [HeaderField]
    /// Index of the first body byte in the buffer that was read.
    public var bodyOffset: Int
    /// The status line's reason phrase, as sent.
    public var reason = ""
    /// HTTP/1.0 rather than 1.1: no keep-alive unless asked for, no chunked framing.
    public var isHTTP10 = false

    public func value(of name: String) -> String? {
        headers.first { ASCII.equalsIgnoringCase($0.name, name) }?.value
    }

    /// Every field of that name joined as one list (nil when there is none).
    public func values(of name: String) -> String? {
        let all = headers.filter { ASCII.equalsIgnoringCase($0.name, name) }.map(\.value)
        return all.isEmpty ? nil : all.joined(separator: ", ")
    }
}

public enum ResponseHeadReader {
    public struct NotHTTP: Error, Equatable {}

    /// Heads larger than this are not a daemon's answer.
    public static let maxHeadBytes = 16 * 1024

    /// The head, or nil while `bytes` does not hold all of it yet.
    public static func read(_ bytes: [UInt8], maxHeadBytes: Int = ResponseHeadReader.maxHeadBytes) throws(NotHTTP) -> ResponseStart? {
        guard let end = headEnd(bytes) else {
            if bytes.count > maxHeadBytes || (bytes.count >= 5 && !bytes.starts(with: Array("HTTP/".utf8))) {
                throw NotHTTP()
            }
            return nil
        }
        // Split as bytes: in a Swift String "\r\n" is one Character, and no "\n" would match it.
        let lines = bytes[..<end.lineBreakAt].split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0.last == 0x0D ? $0.dropLast() : $0, as: UTF8.self) }
        let statusLine = lines[0].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), statusLine[1].count == 3,
              let status = Int(statusLine[1]) else { throw NotHTTP() }
        var headers: [HeaderField] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw NotHTTP() }
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.append(HeaderField(name: String(line[..<colon]), value: String(value)))
        }
        return ResponseStart(status: status, headers: headers, bodyOffset: end.bodyAt,
                             reason: statusLine.count > 2 ? String(statusLine[2]) : "",
                             isHTTP10: statusLine[0] == "HTTP/1.0")
    }

    /// Where the blank line ending the head is: CRLF CRLF, or bare LF LF from a lax server.
    private static func headEnd(_ bytes: [UInt8]) -> (lineBreakAt: Int, bodyAt: Int)? {
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0A {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { return (index, index + 2) }
                if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                    return (index, index + 3)
                }
            }
            index += 1
        }
        return nil
    }
}

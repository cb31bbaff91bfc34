// Server-Sent Events framing, byte for byte.
//
// Every payload leaves hmrd as one frame `id: <id>\ndata: <line>\n\n`. Data that
// holds line breaks (`\n`, `\r`, `\r\n`) is split into several `data:` lines, as the
// EventSource parser joins them back with `\n`. The heartbeat is the exact bytes
// webpack-hot-middleware sends, so its clients keep working against hmrd too.
//
// A payload is one line of JSON (the writer escapes every line break), so the data
// is scanned for a break eight bytes at a time and, finding none, copied whole.

public enum SSEFrame {
    /// The heartbeat: a comment-free data frame whose payload is not JSON.
    public static let heartbeat: [UInt8] = Array("data: 💓\n\n".utf8)

    /// The opening of every stream body: how long a browser waits before reconnecting.
    public static func retry(milliseconds: Int) -> [UInt8] {
        Array("retry: \(milliseconds)\n\n".utf8)
    }

    /// One event with an id. `data` may contain any line breaks.
    public static func event(id: String?, data: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.utf8.count + 32)
        if let id {
            precondition(!id.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }),
                         "an SSE id cannot hold a line break or NUL")
            out.append(contentsOf: "id: ".utf8)
            out.append(contentsOf: id.utf8)
            out.append(0x0A)
        }
        let copied: Bool? = data.utf8.withContiguousStorageIfAvailable { bytes in
            guard LineBreakScan.firstBreak(in: UnsafeRawBufferPointer(bytes)) == nil else { return false }
            out.append(contentsOf: "data: ".utf8)
            out.append(contentsOf: bytes)
            return true
        }
        if copied != true { appendLines(of: data, to: &out) }
        out.append(contentsOf: [0x0A, 0x0A])
        return out
    }

    /// The general case: one `data: ` line per line of `data`.
    private static func appendLines(of data: String, to out: inout [UInt8]) {
        var lineStart = true
        var previousWasCR = false
        for byte in data.utf8 {
            if byte == 0x0A && previousWasCR {
                // The `\n` of a `\r\n` pair: the line already ended at the `\r`.
                previousWasCR = false
                continue
            }
            previousWasCR = (byte == 0x0D)
            if lineStart {
                out.append(contentsOf: "data: ".utf8)
                lineStart = false
            }
            if byte == 0x0A || byte == 0x0D {
                out.append(0x0A)
                lineStart = true
            } else {
                out.append(byte)
            }
        }
        if lineStart {
            // Empty data, or data ending in a line break: the last line is empty.
            out.append(contentsOf: "data: ".utf8)
        }
    }
}

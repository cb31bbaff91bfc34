// The response head that opens an event stream, byte for byte as DESIGN.md fixes it.
//
// No Content-Length and no chunking: the body runs until the connection closes.
// `X-Accel-Buffering: no` makes nginx pass frames on at once even where its own
// buffering was left on; `no-transform` keeps proxies from compressing the stream.

public enum EventStreamHead {
    public static func bytes(corsOrigin: String?) -> [UInt8] {
        var head = "HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/event-stream; charset=utf-8\r\n"
            + "Cache-Control: no-cache, no-transform\r\n"
            + "X-Accel-Buffering: no\r\n"
            + "Connection: keep-alive\r\n"
        if let corsOrigin {
            head += "Access-Control-Allow-Origin: \(corsOrigin)\r\nVary: Origin\r\n"
        }
        return Array((head + "\r\n").utf8)
    }
}

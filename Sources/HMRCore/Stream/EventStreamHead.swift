// The response head that opens an event stream, byte for byte as DESIGN.md fixes it.
//
// No Content-Length and no chunking: the body runs until the connection closes.
// `X-Accel-Buffering: no` makes nginx pass frames on at once even where its own
// buffering was left on; `no-transform` keeps proxies from compressing the stream.

public enum EventStreamHead {
    public static func bytes(corsOrigin: String?) -> [UInt8] {
        ResponseHeaders.head(.ok, contentType: "text/event-stream; charset=utf-8", length: [],
                             cache: HeaderField(name: "Cache-Control", value: "no-cache, no-transform"),
                             extra: [HeaderField(name: "X-Accel-Buffering", value: "no")],
                             corsOrigin: corsOrigin, keepAlive: true).encoded()
    }
}

// The one place the headers every answer shares are written: CORS (the allowed
// origin echoed, with `Vary: Origin`, never `*`), caching and the connection's fate.
// Each answer is type, length, caching, CORS, its own extras, then Connection.

public enum ResponseHeaders {
    /// hmrd's answers change with every build: a browser revalidates each time.
    public static let noCache = HeaderField(name: "Cache-Control", value: "no-cache")

    /// The origin echoed for a page allowed to read the answer, nothing for any other.
    public static func cors(_ origin: String?) -> [HeaderField] {
        guard let origin else { return [] }
        return [HeaderField(name: "Access-Control-Allow-Origin", value: origin), HeaderField(name: "Vary", value: "Origin")]
    }

    public static func connection(keepAlive: Bool) -> HeaderField {
        HeaderField(name: "Connection", value: keepAlive ? "keep-alive" : "close")
    }

    /// A whole answer's head. `length` holds Content-Length (and a range's headers).
    public static func head(_ status: HTTPStatus, contentType: String?, length: [HeaderField],
                            cache: HeaderField? = noCache, extra: [HeaderField] = [], corsOrigin: String?,
                            keepAlive: Bool) -> ResponseHead {
        var headers = contentType.map { [HeaderField(name: "Content-Type", value: $0)] } ?? []
        headers += length
        if let cache { headers.append(cache) }
        headers += cors(corsOrigin) + extra
        headers.append(connection(keepAlive: keepAlive))
        return ResponseHead(status: status, headers: headers)
    }

    /// A head and a body held in memory (the body left out for HEAD).
    public static func whole(_ status: HTTPStatus, contentType: String, body: [UInt8], extra: [HeaderField] = [],
                             corsOrigin: String?, keepAlive: Bool, headOnly: Bool) -> [UInt8] {
        let head = ResponseHeaders.head(status, contentType: contentType,
                                        length: [HeaderField(name: "Content-Length", value: String(body.count))],
                                        extra: extra, corsOrigin: corsOrigin, keepAlive: keepAlive).encoded()
        return headOnly ? head : head + body
    }
}

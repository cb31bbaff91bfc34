// Small complete responses, for errors and refusals.
//
// They are plain text with an exact Content-Length, so even a response to a
// request that is about to be dropped is well framed and readable in a
// browser, in curl and in the client's console.

public enum CannedResponse {
    /// The methods hmrd serves, for the Allow header of a 405.
    public static let allowedMethods = HeaderField(name: "Allow", value: "GET, HEAD")

    /// A complete plain-text response: Content-Type, Content-Length,
    /// Cache-Control, optional CORS headers, `extraHeaders`, then Connection.
    /// The body is `<code> <reason>: <message>\n`; with `headOnly` (a HEAD
    /// request) the head is the same and the body is left out.
    public static func text(_ status: HTTPStatus, message: String, corsOrigin: String?,
                            extraHeaders: [HeaderField] = [], keepAlive: Bool = false,
                            headOnly: Bool = false) -> [UInt8] {
        let body = Array("\(status.code) \(status.reason): \(message)\n".utf8)
        var headers = [
            HeaderField(name: "Content-Type", value: "text/plain; charset=utf-8"),
            HeaderField(name: "Content-Length", value: String(body.count)),
            HeaderField(name: "Cache-Control", value: "no-cache"),
        ]
        if let corsOrigin {
            headers.append(HeaderField(name: "Access-Control-Allow-Origin", value: corsOrigin))
            headers.append(HeaderField(name: "Vary", value: "Origin"))
        }
        headers += extraHeaders
        headers.append(HeaderField(name: "Connection", value: keepAlive ? "keep-alive" : "close"))
        let head = ResponseHead(status: status, headers: headers).encoded()
        return headOnly ? head : head + body
    }

    /// The response to a `PolicyDecision.deny`: `text` plus `Allow` on a 405.
    public static func denial(_ status: HTTPStatus, reason: String, corsOrigin: String?,
                              keepAlive: Bool = false, headOnly: Bool = false) -> [UInt8] {
        let extra = status == .methodNotAllowed ? [allowedMethods] : []
        return text(status, message: reason, corsOrigin: corsOrigin, extraHeaders: extra,
                    keepAlive: keepAlive, headOnly: headOnly)
    }
}

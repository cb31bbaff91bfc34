// Small complete responses, for errors and refusals.
//
// They are plain text with an exact Content-Length, so even a response to a
// request that is about to be dropped is well framed and readable in a
// browser, in curl and in the client's console.

public enum CannedResponse {
    /// The methods most of hmrd's routes take, for the Allow header of a 405.
    public static let allowedMethods = "GET, HEAD"

    /// A complete plain-text response: Content-Type, Content-Length,
    /// Cache-Control, optional CORS headers, `extraHeaders`, then Connection.
    /// The body is `<code> <reason>: <message>\n`; with `headOnly` (a HEAD
    /// request) the head is the same and the body is left out.
    public static func text(_ status: HTTPStatus, message: String, corsOrigin: String?,
                            extraHeaders: [HeaderField] = [], keepAlive: Bool = false,
                            headOnly: Bool = false) -> [UInt8] {
        let body = Array("\(status.code) \(status.reason): \(message)\n".utf8)
        return ResponseHeaders.whole(status, contentType: "text/plain; charset=utf-8", body: body, extra: extraHeaders,
                                     corsOrigin: corsOrigin, keepAlive: keepAlive, headOnly: headOnly)
    }

    /// The response to a `PolicyDecision.deny`: `text` plus `Allow` on a 405.
    public static func denial(_ status: HTTPStatus, reason: String, corsOrigin: String?,
                              keepAlive: Bool = false, headOnly: Bool = false, allow: String = allowedMethods) -> [UInt8] {
        let extra = status == .methodNotAllowed ? [HeaderField(name: "Allow", value: allow)] : []
        return text(status, message: reason, corsOrigin: corsOrigin, extraHeaders: extra,
                    keepAlive: keepAlive, headOnly: headOnly)
    }
}

// Why a request was refused before any route saw it, and the status that
// refusal is answered with.
//
// The head parser reports malformed heads (400) and oversized ones (431); the
// body's framing and reader add the rest, each with the status RFC 9110 names.

public enum RequestError: Error, Sendable, Equatable {
    /// The head or the body's framing breaks HTTP/1.1's grammar or hmrd's
    /// rules; the reason is a short lowercase phrase for the 400 response's body.
    case malformed(String)
    /// Too many bytes or too many header fields.
    case headTooLarge
    /// The body is over the reader's limit, its length cannot be represented,
    /// or its chunked framing is over its bounds.
    case bodyTooLarge
    /// A route that takes a body got a request that declared none.
    case lengthRequired
    /// A transfer coding other than chunked, named as sent.
    case unsupportedTransferCoding(String)
    /// An Expect member other than 100-continue, named as sent.
    case unsupportedExpectation(String)

    public var status: HTTPStatus {
        switch self {
        case .malformed: .badRequest
        case .headTooLarge: .requestHeaderFieldsTooLarge
        case .bodyTooLarge: .contentTooLarge
        case .lengthRequired: .lengthRequired
        case .unsupportedTransferCoding: .notImplemented
        case .unsupportedExpectation: .expectationFailed
        }
    }

    /// The text for the error response's body.
    public var message: String {
        switch self {
        case .malformed(let reason): reason
        case .headTooLarge: "request head larger than \(RequestHeadParser.defaultMaxHeadBytes) bytes"
        case .bodyTooLarge: "request body too large"
        case .lengthRequired: "request body needs a content-length or chunked transfer-encoding"
        case .unsupportedTransferCoding(let coding): "transfer coding \(coding) is not supported; send chunked or a content-length"
        case .unsupportedExpectation(let expectation): "expectation \(expectation) is not supported; only 100-continue is"
        }
    }
}

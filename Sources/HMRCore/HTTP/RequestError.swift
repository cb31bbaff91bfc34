// Why a request head was refused, and the status that refusal is answered with.
//
// The parser reports only these two kinds: a head that breaks the grammar or
// asks for something hmrd does not do (400), and a head that is too big (431).

public enum RequestError: Error, Sendable, Equatable {
    /// The head breaks HTTP/1.1's grammar or hmrd's rules; the reason is a
    /// short lowercase phrase suitable for the body of the 400 response.
    case malformed(String)
    /// Too many bytes or too many header fields.
    case headTooLarge

    public var status: HTTPStatus {
        switch self {
        case .malformed: .badRequest
        case .headTooLarge: .requestHeaderFieldsTooLarge
        }
    }

    /// The text for the error response's body.
    public var message: String {
        switch self {
        case .malformed(let reason): reason
        case .headTooLarge: "request head too large"
        }
    }
}

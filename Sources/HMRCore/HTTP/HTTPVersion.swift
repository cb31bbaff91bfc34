// The HTTP versions hmrd speaks. Anything else (HTTP/0.9, HTTP/2's preface,
// a future HTTP/1.2) is refused by the parser rather than guessed at.

public enum HTTPVersion: Sendable, Equatable {
    case http10, http11
}

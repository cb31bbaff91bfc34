// The turns a proxied exchange can take that are choices, not mechanics: what the
// end of the backend's connection means at each point, and when a body is long and
// quiet enough to be spliced socket to socket. ProxyExchange (the libuv side) asks.

public enum ProxyTurns {
    /// What the backend's connection ending means.
    public enum BackendEnd: Sendable, Equatable {
        /// A kept connection the backend had closed while it idled: once more on a new one.
        case retry
        /// Nothing of the answer went out yet: the browser gets 502, saying why.
        case badGateway(String)
        /// The body was delimited by the close: it is whole.
        case finish
        /// The answer was cut short after its head: closing the browser's connection says so.
        case cut(String)
    }

    /// `answer`: the framing of the answer under way, nil before its head. A retry needs a
    /// request that can be sent again as it is (no body) on a reused connection that said nothing.
    public static func backendEnded(answer: MessageBodyFraming?, reusedConnection: Bool, receivedAny: Bool,
                                    requestBody: RequestBodyFraming) -> BackendEnd {
        guard let answer else {
            if reusedConnection && !receivedAny && requestBody.isEmpty { return .retry }
            return .badGateway("it closed the connection without answering")
        }
        return answer == .untilClose ? .finish : .cut("it closed the connection in the middle of its answer")
    }

    /// Bodies longer than this, after what came with the head, are spliced rather than read.
    public static let spliceAbove = 1 << 20

    /// Whether the rest of an answer goes socket to socket (SplicePump): passed on as it
    /// came, of a known length past `spliceAbove`, with the request's body all sent and
    /// nothing queued either way (the pump takes both sockets over).
    public static func splices(output: ProxyAnswer.Output, remaining: Int?, requestBodySent: Bool,
                               queuedToBrowser: Int, queuedToBackend: Int) -> Bool {
        guard output == .raw, let remaining, remaining > spliceAbove else { return false }
        return requestBodySent && queuedToBrowser == 0 && queuedToBackend == 0
    }
}

// One HTTP connection's life, as a state machine: reading a head (with a deadline),
// a POST's body (with one too), an answer held for a build, a file body going out (each chunk with a deadline), an
// event stream, finishing, closed. Events come in with the loop's time; the actions
// out (read or not, replay the input kept meanwhile, arm a deadline, shut down,
// close) are HTTPConnection's to carry out. An impossible move is a bug, said aloud.

public struct ConnectionLifecycle: Sendable {
    /// How long a connection may take to send a complete head (kept-alive ones too),
    /// and a file body's reader to take its next chunk.
    public static let idleLimit = 10_000

    public enum Phase: Sendable, Equatable {
        /// Accepted, not yet opened.
        case new
        case readingHead(deadline: Int)
        /// A POST's body is read (RequestBodyReader); all of it must come by `deadline`.
        case readingBody(deadline: Int)
        /// The request just read is answered later, once a build is published.
        case holding
        /// A file body goes out a chunk at a time; the next must leave by `deadline`.
        case sendingBody(deadline: Int)
        case streaming
        /// With --proxy: the request went to the backend (ProxyExchange). Input is its body,
        /// then the next request's, kept; no deadline, as a backend may answer slowly on purpose.
        case proxying
        /// An upgraded connection (WebSocket) joined to the backend's: every byte is passed on.
        case tunnel
        /// The last bytes are leaving; then the socket shuts down and closes.
        case finishing
        case closed
    }

    public enum Event: Sendable, Equatable {
        case opened
        /// The head just read has a body to read before it is answered.
        case bodyExpected
        /// The request just read will be answered later.
        case held
        /// The held request is answered now, as if it had just arrived.
        case released
        /// A whole answer is written (or queued); `keepAlive`: read the next request.
        case answered(keepAlive: Bool)
        case bodyStarted
        case chunkLeft
        case becameStream
        /// The request just read goes to the backend (--proxy).
        case proxyStarted
        /// The backend agreed to an upgrade: the connection is a tunnel now.
        case becameTunnel
        /// The far side cannot take more yet (backpressure): stop reading, or read again.
        case inputPaused
        case inputResumed
        /// End once what is queued has left.
        case finish
        /// The deadline timer came by (ConnectionDeadlines).
        case deadlineCame
        /// The peer went away, a write failed, or the stream was dropped.
        case failed
    }

    public enum Action: Sendable, Equatable {
        case startReading
        case stopReading
        /// Read the bytes that came while the answer was pending (pipelined requests).
        case replayKeptInput
        case watchDeadline(Int)
        /// Shut the socket down after the queued writes; close then.
        case shutdown
        case close
    }

    public private(set) var phase = Phase.new
    /// Whether the socket is being read (it is not while an answer is pending).
    public private(set) var reading = false

    public init() {}

    /// Input that arrives now is the next request's: kept until the answer is out.
    public var keepsInput: Bool {
        switch phase {
        case .holding, .sendingBody, .proxying: return true
        default: return false
        }
    }

    /// Input that arrives now is the body of the request just read.
    public var readsBody: Bool {
        if case .readingBody = phase { return true }
        return false
    }

    /// Input that arrives now is parsed as request heads.
    public var readsHeads: Bool {
        if case .readingHead = phase { return true }
        return false
    }

    public var isClosed: Bool { phase == .closed }

    public mutating func handle(_ event: Event, now: Int) -> [Action] {
        if phase == .closed { return [] }
        switch (event, phase) {
        case (.opened, .new):
            return readHead(now: now, replay: false)
        case (.bodyExpected, .readingHead):
            // As long for the whole body as for a head: a slow sender holds no slot for ever.
            let deadline = now + ConnectionLifecycle.idleLimit
            phase = .readingBody(deadline: deadline)
            return [.watchDeadline(deadline)]
        case (.held, .readingHead):
            phase = .holding
            return stopReading()
        case (.released, .holding):
            phase = .readingHead(deadline: now + ConnectionLifecycle.idleLimit)
            return []
        case (.answered(let keepAlive), .readingHead), (.answered(let keepAlive), .sendingBody),
             (.answered(let keepAlive), .readingBody):
            return keepAlive ? readHead(now: now, replay: true) : finish()
        case (.answered(let keepAlive), .proxying):
            // Reading went on during the exchange: what came behind it is replayed even so.
            guard keepAlive else { return finish() }
            let wasReading = reading
            return readHead(now: now, replay: true) + (wasReading ? [.replayKeptInput] : [])
        case (.proxyStarted, .readingHead):
            phase = .proxying
            return []
        case (.becameTunnel, .proxying):
            phase = .tunnel
            return []
        case (.inputPaused, .proxying), (.inputPaused, .tunnel):
            return stopReading()
        case (.inputResumed, .proxying), (.inputResumed, .tunnel):
            guard !reading else { return [] }
            reading = true
            return [.startReading]
        case (.inputPaused, _), (.inputResumed, _):
            return []
        case (.bodyStarted, .readingHead):
            let deadline = now + ConnectionLifecycle.idleLimit
            phase = .sendingBody(deadline: deadline)
            return stopReading() + [.watchDeadline(deadline)]
        case (.chunkLeft, .sendingBody):
            let deadline = now + ConnectionLifecycle.idleLimit
            phase = .sendingBody(deadline: deadline)
            return [.watchDeadline(deadline)]
        case (.becameStream, .readingHead):
            phase = .streaming
            return []
        case (.finish, .finishing):
            return []
        case (.finish, _):
            return finish()
        case (.deadlineCame, .readingHead(let deadline)), (.deadlineCame, .sendingBody(let deadline)),
             (.deadlineCame, .readingBody(let deadline)):
            guard now >= deadline else { return [] }
            return close()
        case (.deadlineCame, _):
            return []
        case (.failed, _):
            return close()
        default:
            assertionFailure("ConnectionLifecycle: \(event) in phase \(phase)")
            return close()
        }
    }

    /// The next head, by a deadline. If reading had stopped for the answer, it starts again and
    /// the input kept meanwhile is read first: reading starts before that replay, as a replayed
    /// request may be held in turn, and nothing is read from the socket before the loop turns.
    private mutating func readHead(now: Int, replay: Bool) -> [Action] {
        let deadline = now + ConnectionLifecycle.idleLimit
        phase = .readingHead(deadline: deadline)
        guard !reading else { return [.watchDeadline(deadline)] }
        reading = true
        return [.watchDeadline(deadline), .startReading] + (replay ? [.replayKeptInput] : [])
    }

    private mutating func stopReading() -> [Action] {
        guard reading else { return [] }
        reading = false
        return [.stopReading]
    }

    private mutating func finish() -> [Action] {
        phase = .finishing
        return stopReading() + [.shutdown]
    }

    private mutating func close() -> [Action] {
        phase = .closed
        reading = false
        return [.close]
    }
}

// What the daemon reports to the terminal, as values: the formatter turns each one
// into a text line or a JSON line, so the daemon never builds a message itself.

public enum LogEvent: Sendable, Equatable {
    /// Accepting connections; `url` is `http://HOST:PORT` with the real port.
    case listening(url: String, streamPath: String)
    /// A build started; `trigger` holds every changed path (empty for the first build).
    case building(trigger: [String])
    case built(BuiltSummary)
    case buildFailed(BuildFailure)
    case warning(String)
    case error(String)
    case stopping
    /// Out of file descriptors no more, after turning `turnedAway` connections away.
    case acceptingAgain(turnedAway: Int)
    /// What the open pages did with a build (PageTable).
    case pagesOutcome(PagesOutcome)
    /// A page reported it could not apply a build.
    case pageFailed(url: String, hash: String, error: String)
    /// A page's uncaught error or unhandled rejection, as it reported it.
    case pageError(url: String, rejection: Bool, message: String, stack: String?)
    /// A page's reports over the rate limit were dropped (ReportRateLimit).
    case reportsDropped(url: String, count: Int)
    /// A page's ghost sync actions over the rate limit were dropped.
    case ghostDropped(url: String, count: Int)
    /// The --proxy backend stopped answering (BackendHealth: once per stretch).
    case backendDown(backend: String, reason: String)
    /// It answers again.
    case backendUp(backend: String)
    // --verbose only:
    case changed(path: String)
    /// An event stream opened; `page` is its Referer, the page the client runs in.
    case clientConnected(page: String?, open: Int)
    /// An event stream closed; `stalled` when hmrd dropped it for not reading.
    case clientDisconnected(open: Int, stalled: Bool)
    /// A request answered (not an event stream); `note` says why it was refused. Method
    /// and target are nil when the head could not be parsed.
    case request(method: String?, target: String?, status: Int, note: String?)

    public var level: LogLevel {
        switch self {
        case .listening: return .notice
        case .building, .built, .stopping, .acceptingAgain, .pagesOutcome, .backendUp: return .info
        case .warning, .reportsDropped, .ghostDropped, .backendDown: return .warning
        case .buildFailed, .error, .pageFailed, .pageError: return .error
        case .changed, .clientConnected, .clientDisconnected, .request: return .debug
        }
    }

    /// The `event` field of a JSON line.
    public var name: String {
        switch self {
        case .listening: return "listening"
        case .building: return "building"
        case .built: return "built"
        case .buildFailed: return "build-failed"
        case .warning: return "warning"
        case .error: return "error"
        case .stopping: return "stopping"
        case .acceptingAgain: return "accepting-again"
        case .pagesOutcome: return "pages"
        case .pageFailed: return "page-failed"
        case .pageError: return "page-error"
        case .reportsDropped: return "reports-dropped"
        case .ghostDropped: return "ghost-dropped"
        case .backendDown: return "backend-down"
        case .backendUp: return "backend-up"
        case .changed: return "changed"
        case .clientConnected: return "client-connected"
        case .clientDisconnected: return "client-disconnected"
        case .request: return "request"
        }
    }
}

/// A good build, published.
public struct BuiltSummary: Sendable, Equatable {
    public var hash: String
    public var milliseconds: Int
    public var added: Int
    public var updated: Int
    public var removed: Int
    /// Open event streams the `built` frame went to.
    public var clients: Int

    public init(hash: String, milliseconds: Int, added: Int, updated: Int, removed: Int, clients: Int) {
        self.hash = hash
        self.milliseconds = milliseconds
        self.added = added
        self.updated = updated
        self.removed = removed
        self.clients = clients
    }
}

/// A build that exited non-zero, was killed, timed out or did not start.
public struct BuildFailure: Sendable, Equatable {
    /// As a shell reports it: the exit code, 128 + signal, 124 for a timeout, 127 for no start.
    public var exitCode: Int
    public var milliseconds: Int
    /// One phrase: "build exited with code 3".
    public var reason: String
    public var clients: Int
    /// The last of the build's output (bounded), colours kept.
    public var output: String

    public init(exitCode: Int, milliseconds: Int, reason: String, clients: Int, output: String) {
        self.exitCode = exitCode
        self.milliseconds = milliseconds
        self.reason = reason
        self.clients = clients
        self.output = output
    }
}

// Where a page's interaction posted to `P/sync` is handled (--sync): parsed (400 if it
// is not one), let through or not (429, its own rate limits), and turned into the
// `ghost` frame every stream gets (204). Without --sync the route is not there (404).

public struct SyncDesk: Sendable {
    private var limit = ReportRateLimit(.ghost)

    public init() {}

    public struct Verdict: Sendable, Equatable {
        public var status: HTTPStatus
        public var reason: String?
        /// The frame to send every stream, for an action let through.
        public var frame: String?
    }

    public mutating func receive(_ body: [UInt8], now: Int) -> Verdict {
        let action: GhostAction
        switch GhostAction.parse(body) {
        case .failure(let problem):
            return Verdict(status: .badRequest, reason: "not a ghost sync action: \(problem)", frame: nil)
        case .success(let parsed):
            action = parsed
        }
        guard limit.admit(page: action.page, url: action.url.isEmpty ? "page " + action.page : action.url, now: now) else {
            return Verdict(status: .tooManyRequests, reason: "this page sends actions too often; the action was dropped",
                           frame: nil)
        }
        return Verdict(status: .noContent, reason: nil, frame: action.frameJSON)
    }

    public mutating func tick(now: Int) -> [LogEvent] { limit.tick(now: now) }

    public var nextDeadline: Int? { limit.nextDeadline }
}

// Where a page's report is handled, from its body to the answer: parsed (400 if it
// is not a report), let through or not (429, ReportRateLimit), then taken into the
// page table (204). What the terminal should say comes back with the answer.

public struct ReportDesk: Sendable {
    public private(set) var table: PageTable
    private var limit = ReportRateLimit()

    public init(daemonName: String) {
        table = PageTable(daemonName: daemonName)
    }

    public struct Verdict: Sendable, Equatable {
        public var status: HTTPStatus
        /// Why it was refused, for the answer's body; nil for 204.
        public var reason: String?
        public var said: [LogEvent]
    }

    public mutating func receive(_ body: [UInt8], now: Int) -> Verdict {
        let report: PageReport
        switch PageReport.parse(body) {
        case .failure(let problem):
            return Verdict(status: .badRequest, reason: "not a page report: \(problem)", said: [])
        case .success(let parsed):
            report = parsed
        }
        guard limit.admit(page: report.page, url: report.url, now: now) else {
            return Verdict(status: .tooManyRequests, reason: "this page reports too often; the report was dropped",
                           said: [])
        }
        return Verdict(status: .noContent, reason: nil, said: table.take(report, now: now))
    }

    public mutating func published(hash: String, now: Int) -> [LogEvent] {
        table.published(hash: hash, now: now)
    }

    public mutating func tick(now: Int) -> [LogEvent] {
        table.tick(now: now) + limit.tick(now: now)
    }

    public var nextDeadline: Int? {
        [table.nextDeadline, limit.nextDeadline].compactMap { $0 }.min()
    }
}

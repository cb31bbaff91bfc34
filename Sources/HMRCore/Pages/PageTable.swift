// The pages that reported in (PageReport), what each last did, and each build's
// outcome across them: when a build is published, the open pages it should reach are
// noted, and once each has said what it did (or the window closes) that build gets
// one line. Time is passed in; `nextDeadline` says when `tick` is due.

public struct PageTable: Sendable {
    /// Pages kept at most; past it the one heard from longest ago goes.
    public static let capacity = 1000
    /// A page silent this long is gone (crashed, killed): pages say hello every minute.
    public static let silenceLimit = 180_000
    /// A page that left to reload has this long to come back before it counts as gone.
    public static let reloadGrace = 10_000
    /// A build's line is printed once every page it should reach has answered, or this
    /// long after it was published.
    public static let tallyWindow = 3_000

    public struct Page: Sendable, Equatable {
        public var id: String
        public var url: String
        /// Its `?name=` filter: a page following another bundle is not waited for.
        public var name: String?
        /// The build it shows, as far as hmrd knows.
        public var hash: String?
        public var last: LastOutcome?
        public var seen: Int
        /// It left to reload, at this time; its next load takes its place.
        public var reloadingSince: Int?

        public init(id: String, url: String, name: String? = nil, hash: String? = nil, last: LastOutcome? = nil,
                    seen: Int, reloadingSince: Int? = nil) {
            self.id = id
            self.url = url
            self.name = name
            self.hash = hash
            self.last = last
            self.seen = seen
            self.reloadingSince = reloadingSince
        }
    }

    public struct LastOutcome: Sendable, Equatable {
        public var outcome: PageReport.Outcome
        public var hash: String
        public var ms: Double?
        public var error: String?

        public init(outcome: PageReport.Outcome, hash: String, ms: Double? = nil, error: String? = nil) {
            self.outcome = outcome
            self.hash = hash
            self.ms = ms
            self.error = error
        }
    }

    /// The build whose outcome is being gathered.
    struct Tally: Sendable {
        var hash: String
        var closesAt: Int
        var waitingFor: Set<String>
        var outcome: PagesOutcome
    }

    private(set) var pages: [String: Page] = [:]
    private var tally: Tally?
    /// The bundle this daemon builds (`--name`).
    let daemonName: String

    public init(daemonName: String) {
        self.daemonName = daemonName
    }

    /// Open pages, in the order of their URLs (then ids); one reloading counts until its
    /// next load takes its place (or the grace runs out): it is on its way to a build.
    public func open() -> [Page] {
        pages.values.sorted { ($0.url, $0.id) < ($1.url, $1.id) }
    }

    public var nextDeadline: Int? {
        let reload = pages.values.compactMap { $0.reloadingSince.map { $0 + PageTable.reloadGrace } }.min()
        let silent = pages.values.map { $0.seen + PageTable.silenceLimit }.min()
        return [tally?.closesAt, reload, silent].compactMap { $0 }.min()
    }

    /// Takes a report in; returns what the terminal should say about it.
    public mutating func take(_ report: PageReport, now: Int) -> [LogEvent] {
        if case .bye(let reloading) = report.kind {
            guard pages[report.page] != nil else { return [] }
            if reloading {
                pages[report.page]!.reloadingSince = now
                return []
            }
            return leave(report.page)
        }
        var page = pages[report.page] ?? Page(id: report.page, url: report.url, seen: now)
        page.url = report.url
        page.seen = now
        page.reloadingSince = nil
        var said: [LogEvent] = []
        switch report.kind {
        case .hello(let hash, let name, let previous):
            page.hash = hash ?? page.hash
            page.name = name
            if let previous, previous != report.page, let old = pages[previous] {
                page.last = page.last ?? old.last
                said += leave(previous, replacedBy: report.page)
            }
        case .outcome(let outcome, let hash, let ms, let error):
            page.last = LastOutcome(outcome: outcome, hash: hash, ms: ms, error: error)
            if outcome.isCurrent { page.hash = hash }
            if outcome == .failed {
                said.append(.pageFailed(url: report.url, hash: hash, error: error ?? "no error given"))
            }
            said += counted(report.page, outcome, hash: hash, ms: ms)
        case .error(let rejection, let message, let stack):
            said.append(.pageError(url: report.url, rejection: rejection, message: message, stack: stack))
        case .bye:
            break
        }
        if pages[report.page] == nil && pages.count >= PageTable.capacity, let oldest = pages.values.min(by: { $0.seen < $1.seen }) {
            said += leave(oldest.id)
        }
        pages[report.page] = page
        return said
    }

    /// A build was published: the pages open now should reach it. The line of the build
    /// before is printed first if it was still gathering.
    public mutating func published(hash: String, now: Int) -> [LogEvent] {
        let said = closeTally()
        let waiting = Set(open().filter { ($0.name == nil || $0.name == daemonName) && $0.hash != hash }.map(\.id))
        if !waiting.isEmpty {
            tally = Tally(hash: hash, closesAt: now + PageTable.tallyWindow, waitingFor: waiting,
                          outcome: PagesOutcome(hash: hash))
        }
        return said
    }

    /// Pages gone silent or not back from a reload leave; a build's window closes.
    public mutating func tick(now: Int) -> [LogEvent] {
        var said: [LogEvent] = []
        for page in pages.values {
            let gone = page.reloadingSince.map { now >= $0 + PageTable.reloadGrace } ?? false
            if gone || now >= page.seen + PageTable.silenceLimit { said += leave(page.id) }
        }
        if let tally, now >= tally.closesAt { said += closeTally() }
        return said
    }

    private mutating func counted(_ id: String, _ outcome: PageReport.Outcome, hash: String, ms: Double?) -> [LogEvent] {
        guard var current = tally, current.hash == hash, current.waitingFor.remove(id) != nil else { return [] }
        current.outcome.add(outcome, ms: ms)
        tally = current
        return current.waitingFor.isEmpty ? closeTally() : []
    }

    /// A page leaves; the build being gathered no longer waits for it (unless it
    /// reloaded into a page that now answers in its place).
    private mutating func leave(_ id: String, replacedBy successor: String? = nil) -> [LogEvent] {
        pages[id] = nil
        guard var current = tally, current.waitingFor.remove(id) != nil else { return [] }
        if let successor { current.waitingFor.insert(successor) }
        tally = current
        return current.waitingFor.isEmpty ? closeTally() : []
    }

    private mutating func closeTally() -> [LogEvent] {
        guard var current = tally else { return [] }
        tally = nil
        current.outcome.silent = current.waitingFor.count
        return [.pagesOutcome(current.outcome)]
    }
}

/// What the pages did with one build, for its line in the terminal.
public struct PagesOutcome: Sendable, Equatable {
    public var hash: String
    public var applied = 0
    /// The quickest and slowest `applied`, in ms, where pages said.
    public var fastestMs: Double?
    public var slowestMs: Double?
    public var reloaded = 0
    public var failed = 0
    public var unchanged = 0
    /// Pages the build should have reached that said nothing in time.
    public var silent = 0

    public init(hash: String) {
        self.hash = hash
    }

    mutating func add(_ outcome: PageReport.Outcome, ms: Double?) {
        switch outcome {
        case .applied:
            applied += 1
            if let ms {
                fastestMs = min(fastestMs ?? ms, ms)
                slowestMs = max(slowestMs ?? ms, ms)
            }
        case .reloaded: reloaded += 1
        case .failed: failed += 1
        case .unchanged: unchanged += 1
        }
    }

    /// "applied on 3 pages in 8–12 ms; 1 reloaded; 1 failed; 2 did not answer"
    public var sentence: String {
        var parts: [String] = []
        if applied > 0 {
            var part = "applied on " + TerminalText.count(applied, "page")
            if let fastestMs, let slowestMs {
                let (low, high) = (Int(fastestMs.rounded()), Int(slowestMs.rounded()))
                part += low == high ? " in \(low) ms" : " in \(low)–\(high) ms"
            }
            parts.append(part)
        }
        if reloaded > 0 { parts.append("\(reloaded) reloaded") }
        if failed > 0 { parts.append("\(failed) failed") }
        if unchanged > 0 { parts.append("\(unchanged) unchanged") }
        if silent > 0 { parts.append("\(silent) did not answer") }
        return parts.joined(separator: "; ")
    }
}

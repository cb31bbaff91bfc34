// How often pages may post: reports, each page a burst of 20 and 10 a second after it,
// and all pages together a burst of 1,000 and 500 a second (a page in an error loop,
// or something posting under ever new ids); ghost sync's actions three times as many
// (a scroll is sent as often as the eye needs). What is over is answered 429 and
// dropped; the terminal gets one line per page and stretch, with the count, once it is over.

public struct ReportRateLimit: Sendable {
    public static let pageBurst = 20.0
    public static let pagePerSecond = 10.0
    public static let totalBurst = 1_000.0
    public static let totalPerSecond = 500.0

    /// What is limited: the limits and the line a stretch of drops gets.
    public enum Kind: Sendable {
        case reports, ghost

        var scale: Double { self == .reports ? 1 : 3 }
        public var pagePerSecond: Double { ReportRateLimit.pagePerSecond * scale }
    }

    let kind: Kind
    var pageBurst: Double { ReportRateLimit.pageBurst * kind.scale }
    var pagePerSecond: Double { kind.pagePerSecond }
    var totalBurst: Double { ReportRateLimit.totalBurst * kind.scale }
    var totalPerSecond: Double { ReportRateLimit.totalPerSecond * kind.scale }
    /// A stretch of drops is over once a page has been quiet (or admitted) this long.
    static let stretchEnd = 1_000
    /// Buckets kept at most; full ones are forgotten first.
    static let capacity = 4_096

    struct Bucket: Sendable {
        var tokens: Double
        var at: Int
        var dropped = 0
        var lastDrop = 0
        var url = ""
    }

    private var pages: [String: Bucket] = [:]
    private var total: Bucket

    public init(_ kind: Kind = .reports) {
        self.kind = kind
        total = Bucket(tokens: ReportRateLimit.totalBurst * kind.scale, at: 0)
    }

    /// Whether a report of `page` (at `url`) may pass now; a refusal counts a drop.
    public mutating func admit(page: String, url: String, now: Int) -> Bool {
        var bucket = pages[page] ?? Bucket(tokens: pageBurst, at: now)
        refill(&bucket, burst: pageBurst, perSecond: pagePerSecond, now: now)
        refill(&total, burst: totalBurst, perSecond: totalPerSecond, now: now)
        // Over the pages' total, the drop is counted once for all: a flood under fresh ids is one line.
        let admitted = bucket.tokens >= 1 && total.tokens >= 1
        if admitted {
            bucket.tokens -= 1
            total.tokens -= 1
        } else if bucket.tokens < 1 {
            drop(&bucket, url: url, now: now)
        } else {
            drop(&total, url: ReportRateLimit.allPages, now: now)
        }
        if pages[page] == nil && pages.count >= ReportRateLimit.capacity { forgetFull(now: now) }
        pages[page] = bucket
        return admitted
    }

    /// When `tick` has a stretch to close, if ever.
    public var nextDeadline: Int? {
        (pages.values + [total]).filter { $0.dropped > 0 }.map { $0.lastDrop + ReportRateLimit.stretchEnd }.min()
    }

    /// The stretches of drops that are over, one line each.
    public mutating func tick(now: Int) -> [LogEvent] {
        var said: [LogEvent] = []
        let over = pages.filter { $0.value.dropped > 0 && now >= $0.value.lastDrop + ReportRateLimit.stretchEnd }
        for (page, bucket) in over.sorted(by: { ($0.value.url, $0.key) < ($1.value.url, $1.key) }) {
            said.append(dropped(bucket.url, bucket.dropped))
            pages[page]!.dropped = 0
        }
        if total.dropped > 0 && now >= total.lastDrop + ReportRateLimit.stretchEnd {
            said.append(dropped(total.url, total.dropped))
            total.dropped = 0
        }
        return said
    }

    private func dropped(_ url: String, _ count: Int) -> LogEvent {
        kind == .reports ? .reportsDropped(url: url, count: count) : .ghostDropped(url: url, count: count)
    }

    /// Stands for the page in the line of drops over the pages' total.
    static let allPages = "(all pages together)"

    private func drop(_ bucket: inout Bucket, url: String, now: Int) {
        bucket.dropped += 1
        bucket.lastDrop = now
        bucket.url = url
    }

    private func refill(_ bucket: inout Bucket, burst: Double, perSecond: Double, now: Int) {
        let elapsed = max(0, now - bucket.at)
        bucket.tokens = min(burst, bucket.tokens + Double(elapsed) * perSecond / 1_000)
        bucket.at = now
    }

    /// Room for a new page: buckets that are full again and owe no line go first, then
    /// the whole table if none is (something posts under a new id each time).
    private mutating func forgetFull(now: Int) {
        for (page, var bucket) in pages where bucket.dropped == 0 {
            refill(&bucket, burst: pageBurst, perSecond: pagePerSecond, now: now)
            if bucket.tokens >= pageBurst { pages[page] = nil }
        }
        if pages.count >= ReportRateLimit.capacity { pages = pages.filter { $0.value.dropped > 0 } }
        if pages.count >= ReportRateLimit.capacity { pages = [:] }
    }
}

// The requests held back while the out dir is being rebuilt, each with the time it
// must be answered by. The loop layer keeps the connections; this keeps the order and
// the deadlines, so one timer serves any number of waiting requests.

public struct OutputWaitList: Sendable {
    private var deadlines: [Int: Int] = [:]
    /// The earliest deadline, cached so the timer is re-armed without a scan.
    public private(set) var nextDeadline: Int?

    public init() {}

    public var count: Int { deadlines.count }

    /// Holds request `id` until the next publish or `deadline`.
    public mutating func hold(_ id: Int, until deadline: Int) {
        deadlines[id] = deadline
        nextDeadline = min(nextDeadline ?? deadline, deadline)
    }

    /// A build was published: every waiting request is answered now, oldest first.
    public mutating func releaseAll() -> [Int] {
        let ids = deadlines.keys.sorted()
        deadlines.removeAll(keepingCapacity: true)
        nextDeadline = nil
        return ids
    }

    /// The requests whose deadline has come, oldest first.
    public mutating func expired(now: Int) -> [Int] {
        guard let next = nextDeadline, next <= now else { return [] }
        let ids = deadlines.filter { $0.value <= now }.keys.sorted()
        for id in ids { deadlines[id] = nil }
        nextDeadline = deadlines.values.min()
        return ids
    }

    /// A request whose connection closed while it waited.
    public mutating func forget(_ id: Int) {
        guard deadlines.removeValue(forKey: id) != nil else { return }
        nextDeadline = deadlines.values.min()
    }
}

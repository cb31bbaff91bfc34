// Per-client write accounting: how far behind a stream is, and when to give up on it.
//
// Each frame is first offered to the socket directly; what the kernel does not take
// is queued. A client whose queued bytes pass the high-water mark has stopped
// reading; it is dropped rather than allowed to hold memory or slow the others,
// and on reconnect it gets a fresh `sync`.

public struct ClientWriteState: Sendable, Equatable {
    /// Unsent bytes above which a stream is dropped. Several full `built` frames of a
    /// large module map fit below it, so a briefly busy tab survives a burst.
    public static let defaultHighWater = 1 << 20

    public private(set) var highWater: Int
    public private(set) var queuedBytes = 0

    public init(highWater: Int = ClientWriteState.defaultHighWater) { self.highWater = highWater }

    public enum Verdict: Sendable, Equatable { case keep, drop }

    /// Lets more be queued before the client counts as gone: a proxied answer is paced by
    /// the backend's reads instead (ProxyExchange), and one decoded read may be large.
    public mutating func allowQueue(upTo highWater: Int) {
        self.highWater = max(self.highWater, highWater)
    }

    /// Direct writes are only allowed while nothing is queued, or bytes would reorder.
    public var canWriteDirectly: Bool { queuedBytes == 0 }

    /// `count` bytes the socket did not take now were queued.
    public mutating func queued(_ count: Int) -> Verdict {
        queuedBytes += count
        return queuedBytes > highWater ? .drop : .keep
    }

    /// A queued write of `count` bytes completed.
    public mutating func drained(_ count: Int) {
        precondition(count <= queuedBytes, "drained more than was queued")
        queuedBytes -= count
    }
}

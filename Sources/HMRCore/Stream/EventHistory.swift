// The recent frames, so a client that reconnects with `Last-Event-ID` misses nothing.
//
// Ids increase by one per broadcast frame and start from a number derived from the
// daemon's start time, so an id from an earlier run of the daemon is never mistaken
// for one of this run: it falls outside the history and the client gets `sync`.

public struct EventHistory<Frame: Sendable>: Sendable {
    /// How many frames are kept; older ones are dropped first.
    public let capacity: Int
    /// The id of the latest frame (or the base id before any).
    public private(set) var lastID: UInt64
    private var frames: [(id: UInt64, frame: Frame)] = []
    private var head = 0

    public init(capacity: Int = 64, baseID: UInt64) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.lastID = baseID
    }

    /// Records a frame and returns its id.
    public mutating func append(_ make: (UInt64) -> Frame) -> UInt64 {
        lastID += 1
        let entry = (id: lastID, frame: make(lastID))
        if frames.count < capacity {
            frames.append(entry)
        } else {
            frames[head] = entry
            head = (head + 1) % capacity
        }
        return lastID
    }

    public enum Resume: Sendable {
        /// Send these frames, oldest first (possibly none): the client misses nothing.
        case replay([Frame])
        /// The id is unknown or too old: send the current state instead.
        case resync
    }

    public func resume(after text: String?) -> Resume {
        guard let text, let id = UInt64(text) else { return .resync }
        guard id <= lastID else { return .resync }
        if id == lastID { return .replay([]) }
        let ordered = frames[head...] + frames[..<head]
        guard let oldest = ordered.first, oldest.id <= id + 1 else { return .resync }
        return .replay(ordered.filter { $0.id > id }.map(\.frame))
    }
}

// What a stream that joins is sent first: the frames it missed, or the current state.
//
// Recent frames are kept (EventHistory) so a client that reconnects with a resumable
// `Last-Event-ID` is replayed exactly what it missed. Any other client gets `sync`,
// which carries the id of the latest state frame (`built`), then whatever followed
// that frame — the `building` of a build under way — so resuming from the `sync`
// later misses nothing either.
//
// The `sync` frame is encoded for the first client that needs it and the same frame
// goes to every later one, so a storm of reconnecting pages costs one encoding, not
// one each. It is dropped whenever a state frame is recorded (its id changes) and
// whenever the owner says the state changed otherwise, so it is never stale.
// The same kept frames serve a stream that a sliced broadcast left behind.

public struct StreamReplay<Frame: Sendable>: Sendable {
    private var history: EventHistory<Frame>
    /// The id of the latest state frame, or the base id before any: the state `sync` describes.
    public private(set) var stateID: UInt64
    /// The `sync` frame of `stateID` and the current state, once a client needed it.
    private var syncFrame: Frame?
    /// Frames sent but not kept since the kept frame `unkeptAfter`.
    private var unkeptCount = 0
    private var unkeptAfter: UInt64 = 0

    public init(capacity: Int = 64, baseID: UInt64) {
        history = EventHistory(capacity: capacity, baseID: baseID)
        stateID = baseID
    }

    /// Records a broadcast frame and returns its id; a state frame becomes what `sync` describes.
    public mutating func record(isState: Bool, _ make: (UInt64) -> Frame) -> UInt64 {
        let id = history.append(make)
        if isState {
            stateID = id
            syncFrame = nil
        }
        return id
    }

    /// The frames after `id`, oldest first, for a stream that is behind; nil when some of them
    /// are no longer kept (or `id` is not one of ours).
    public func frames(after id: UInt64) -> [Frame]? {
        guard case .replay(let frames) = history.resume(after: String(id)) else { return nil }
        return frames
    }

    /// The id of a frame sent and not kept (a ghost sync action): the last kept frame's id,
    /// a dot and a count from 1 since that frame, so ids still grow and a stream that
    /// resumes after one resumes after the kept frame (StreamResumePoint).
    public mutating func unkeptID() -> String {
        unkeptCount = unkeptAfter == history.lastID ? unkeptCount + 1 : 1
        unkeptAfter = history.lastID
        return "\(unkeptAfter).\(unkeptCount)"
    }

    /// What `sync` is made of changed: the next client that needs it gets a fresh encoding.
    public mutating func stateChanged() { syncFrame = nil }

    public enum Greeting: Sendable {
        /// The client resumes: these frames, oldest first (possibly none), and no `sync`.
        case replay([Frame])
        /// The current state, then the frames that followed its state frame, oldest first.
        case sync(Frame, then: [Frame])
    }

    /// What a stream joining with `lastEventID` is sent. `makeSync` encodes the `sync`
    /// frame with the id it is given, at most once per state.
    public mutating func greeting(joiningAfter lastEventID: String?, makeSync: (UInt64) -> Frame) -> Greeting {
        if case .replay(let missed) = history.resume(after: lastEventID) { return .replay(missed) }
        let sync = syncFrame ?? makeSync(stateID)
        syncFrame = sync
        // Nothing after the state frame: the common case, without building the history's list.
        guard history.lastID != stateID, case .replay(let since) = history.resume(after: String(stateID)) else {
            return .sync(sync, then: [])
        }
        return .sync(sync, then: since)
    }
}

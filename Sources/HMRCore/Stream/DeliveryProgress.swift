// Which streams have been sent every broadcast frame, so that one broadcast can go
// out over several turns of the loop.
//
// Writing a frame to 10,000 streams takes ~90 ms, and done in one go nothing else
// runs meanwhile: a build announced with `building` could exit, but its exit, the
// walk of its output and its `built` would all wait for the last `building` write.
// So the hub writes to a slice of the streams per turn, and this keeps, per stream
// (by its slot in the hub's list), the id of the latest frame it was sent. A stream
// still behind when the next frame is recorded is sent all it lacks at once, in id
// order — often `building` and `built` in one write — so every stream sees every
// frame exactly once and in order, however broadcasts, joins and drops interleave.
//
// A frame recorded mid-pass does not send the pass back to the start: it goes on to
// the streams that lack both frames first, then wraps round to those that lack only
// the new one. Every stream still gets one write, so the new frame's last arrival is
// the same either way, but the older frame (`building`) reaches its last stream about
// when it would have without the new one, not after a second pass over the front.

public struct DeliveryProgress: Sendable, Equatable {
    /// Per slot, the id of the latest frame that stream has (sent, or covered by its greeting).
    public private(set) var delivered: [UInt64] = []
    /// The id of the latest frame recorded.
    public private(set) var latest: UInt64
    /// Every slot below this is up to date, unless `wrapPending`.
    private var cursor = 0
    /// A frame was recorded mid-pass: once the cursor reaches the end, the slots below where it
    /// was need another look.
    private var wrapPending = false

    public init(latest: UInt64) { self.latest = latest }

    /// True when no stream is behind, so nothing is left to send.
    public var isComplete: Bool { cursor >= delivered.count && !wrapPending }

    /// A new frame was recorded: every stream is behind until it is sent.
    public mutating func recorded(_ id: UInt64) {
        precondition(id > latest, "DeliveryProgress: frame ids must increase")
        latest = id
        if cursor < delivered.count {
            // Mid-pass: those ahead lack both frames; finish them first, then wrap round.
            wrapPending = cursor > 0 || wrapPending
        } else {
            cursor = 0
            wrapPending = false
        }
    }

    /// A stream joined at the end of the list with a greeting that covers every frame so far.
    public mutating func joined() { delivered.append(latest) }

    /// The stream in `slot` left; the last one moves into its slot, as in the hub's list.
    public mutating func removed(slot: Int) {
        precondition(slot >= 0 && slot < delivered.count, "DeliveryProgress: no stream in slot \(slot)")
        let last = delivered.removeLast()
        guard slot < delivered.count else { return }
        delivered[slot] = last
        // It moved below the cursor while still behind: look at that slot again (a pending wrap
        // will look at it anyway).
        if last != latest, slot < cursor, !wrapPending { cursor = slot }
    }

    /// The next stream that is behind and the id it has, in slot order; from here on it counts
    /// as having everything (the caller sends it the frames after `after`). Nil when none is.
    public mutating func next() -> (slot: Int, after: UInt64)? {
        while true {
            if cursor >= delivered.count {
                guard wrapPending else { return nil }
                cursor = 0
                wrapPending = false
                continue
            }
            let slot = cursor
            cursor += 1
            let after = delivered[slot]
            if after != latest {
                delivered[slot] = latest
                return (slot, after)
            }
        }
    }
}

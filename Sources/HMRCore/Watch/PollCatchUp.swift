// --poll hears a build's own writes a walk late, where inotify hears them while the
// build runs; so after each build the daemon waits for one more walk before the
// scheduler's follow-up, to count those writes as the build's and to catch a build
// that rewrites its inputs. This says when that walk may start and which walk ends it.

public struct PollCatchUp: Sendable, Equatable {
    /// The earliest start of a walk that satisfies the hold, nil when nothing waits.
    public private(set) var due: Int?
    /// How long after a hold the catch-up walk may start: past the poll walker's racy
    /// margin (plus the loop clock's rounding), so a write made before the hold is old
    /// enough to be reported by that walk rather than held back one more.
    public let delay: Int

    public init(racyMarginNanoseconds: Int64) {
        delay = Int(racyMarginNanoseconds / 1_000_000) + 5
    }

    /// One more waits (the caller keeps who); returns when the walk that satisfies them all may start.
    public mutating func hold(now: Int) -> Int {
        let start = max(now + delay, due ?? 0)
        due = start
        return start
    }

    /// A walk that started at `startedAt` has reported: true when it releases those waiting
    /// (which are then forgotten).
    public mutating func walkEnded(startedAt: Int) -> Bool {
        guard let due, startedAt >= due else { return false }
        self = PollCatchUp(delay: delay)
        return true
    }

    /// Stopping: nobody waits any more.
    public mutating func cancel() { self = PollCatchUp(delay: delay) }

    private init(delay: Int) { self.delay = delay }
}

// What to say while connections are turned away for want of file descriptors.
//
// Turning a connection away happens once per attempt, and a page retries every
// few seconds: one log line each would bury the terminal. So a stretch of turned-
// away connections (an episode, ended by the next one accepted) is announced with
// one warning, and its end with one line counting them. Clients hovering at the
// limit start and end episodes all the time; after a warning, the next episode is
// announced only once `quietPeriod` has passed, and unannounced ones end silently.
// Time is the caller's monotonic clock in milliseconds.

public struct LoadShedding: Sendable, Equatable {
    /// The least time between two warnings.
    public static let quietPeriod = 60_000

    private var turnedAwayInEpisode = 0
    private var episodeAnnounced = false
    private var lastWarningAt: Int?

    public init() {}

    /// Whether connections are being turned away now.
    public var isShedding: Bool { turnedAwayInEpisode > 0 }

    /// One connection was turned away; true when this is the moment to warn.
    public mutating func turnedAway(now: Int) -> Bool {
        turnedAwayInEpisode += 1
        guard turnedAwayInEpisode == 1 else { return false }
        if let last = lastWarningAt, now - last < LoadShedding.quietPeriod { return false }
        lastWarningAt = now
        episodeAnnounced = true
        return true
    }

    /// A connection was accepted: the count turned away, if an announced episode just ended.
    public mutating func accepted() -> Int? {
        guard turnedAwayInEpisode > 0 else { return nil }
        defer {
            turnedAwayInEpisode = 0
            episodeAnnounced = false
        }
        return episodeAnnounced ? turnedAwayInEpisode : nil
    }
}

/// Lets a recurring warning through at most once per period (time in milliseconds).
public struct WarningThrottle: Sendable, Equatable {
    public let period: Int
    private var lastAt: Int?

    public init(period: Int = LoadShedding.quietPeriod) { self.period = period }

    public mutating func allows(now: Int) -> Bool {
        if let last = lastAt, now - last < period { return false }
        lastAt = now
        return true
    }
}

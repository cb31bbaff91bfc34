// What a request for a file of the out dir gets while builds come and go: served,
// held until the build under way is published, or refused for now. A page must
// never be left on bytes that belong to no published build (DESIGN.md, "One build
// at a time"), so a file the module map lists is checked against the map's hash.

public enum OutputRead {
    /// Files the map lists up to this size are read whole and hashed before they are
    /// sent, so what leaves is the bytes checked (a build cannot rewrite them half-way
    /// through the send). XXH3 takes about a millisecond for this much; larger files
    /// (media) are sent as they are read, held only while a build runs.
    public static let checkedMaxBytes = 16 * 1024 * 1024
    /// How long a request whose file differs from the map waits for the build that
    /// will publish it when none is running yet: a save's notice, the debounce and
    /// a walk take tens of milliseconds; an out dir written outside any build gets
    /// no build at all, and its files are then answered as they stand.
    public static let unsettledWait = 1_000
    /// The longest any request waits, without --build-timeout.
    public static let defaultLongestWait = 30_000

    /// How long a request may wait for a build: as long as the build may run.
    public static func longestWait(buildTimeout: Int?) -> Int { buildTimeout ?? defaultLongestWait }

    /// What is known when a request for an out-dir file is (again) considered.
    public struct Facts: Sendable, Equatable {
        /// The file lies in the out dir (or would, once a build writes it).
        public var inOutDir = true
        /// The version the page asked for (`?hmr=`) is kept in memory (RecentContents).
        public var keptVersion = false
        /// A build is running or its output is being published (BuildScheduler.outputUnsettled).
        public var building: Bool
        /// The map's hash for the file, nil when the map does not list it.
        public var expected: String?
        /// The hash of the bytes read, nil when the file was not read whole.
        public var actual: String?
        /// The request asked for a build's version (`?hmr=HASH`): a page updating in place.
        public var asksForBuild: Bool
        /// It has waited as long as it may (--build-timeout, or 30 s).
        public var outOfTime: Bool
        /// It already waited once for a file that differs from the map.
        public var waitedForUnsettled: Bool

        public init(building: Bool, expected: String? = nil, actual: String? = nil, asksForBuild: Bool = false,
                    outOfTime: Bool = false, waitedForUnsettled: Bool = false) {
            self.building = building
            self.expected = expected
            self.actual = actual
            self.asksForBuild = asksForBuild
            self.outOfTime = outOfTime
            self.waitedForUnsettled = waitedForUnsettled
        }
    }

    public enum Verdict: Sendable, Equatable {
        /// Send the version kept in memory, at once, whatever the disk holds now.
        case serveKept
        /// Send the bytes as read.
        case serve
        /// Hold the request until the next publish, or its longest wait.
        case waitForBuild
        /// Hold it until the next publish, or `unsettledWait`.
        case waitForUnsettled
        /// 503 with Retry-After: the page asked for a build's bytes and these belong to
        /// none; its client asks again rather than keep them.
        case refuse
    }

    /// Whether a file must be read whole and hashed before it is sent.
    public static func isChecked(listed: Bool, size: Int) -> Bool {
        listed && size <= checkedMaxBytes
    }

    public enum Reading: Sendable, Equatable {
        /// Sent as it is read, a chunk at a time (FileBody).
        case stream
        /// Read whole (up to `limit`), to check it or to put the client's tag in a page.
        case whole(limit: Int)
        /// A page too large to read whole: 500, naming the limit.
        case tooLarge
    }

    /// How a found file is read. `pageLimit`: the largest page read whole.
    public static func reading(isPage: Bool, listed: Bool, size: Int, pageLimit: Int) -> Reading {
        if isPage { return size <= pageLimit ? .whole(limit: pageLimit) : .tooLarge }
        return isChecked(listed: listed, size: size) ? .whole(limit: checkedMaxBytes) : .stream
    }

    /// Until when a held request waits: the build, or a moment for a file that differs from the map.
    public static func holdUntil(_ verdict: Verdict, now: Int, arrived: Int, longestWait: Int) -> Int {
        let longest = arrived + longestWait
        return verdict == .waitForUnsettled ? min(now + unsettledWait, longest) : longest
    }

    /// `?hmr=HASH` (or `HASH-N` when asked again): the build whose version of a file the
    /// client is updating the page to. Any other value still marks a page updating in place.
    public static func askedForBuild(_ query: String?) -> String? {
        guard let query, let pair = query.split(separator: "&").last(where: { $0.hasPrefix("hmr=") }) else { return nil }
        return String(pair.dropFirst(4).prefix { $0 != "-" })
    }

    public static func verdict(_ facts: Facts) -> Verdict {
        guard facts.inOutDir else { return .serve }
        if facts.keptVersion { return .serveKept }
        if facts.building && !facts.outOfTime { return .waitForBuild }
        guard let expected = facts.expected, let actual = facts.actual, actual != expected else { return .serve }
        if !facts.outOfTime && !facts.waitedForUnsettled { return .waitForUnsettled }
        return facts.asksForBuild ? .refuse : .serve
    }
}

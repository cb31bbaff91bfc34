// When an out-dir walk may read only the folders inotify named, and when the kernel's
// word can no longer be trusted. A walk from notices is fast (the few folders a build
// wrote in); a full walk after it checks it, and one that finds a change nobody was
// told of makes every later walk a full one.

public struct OutputWalkPolicy: Sendable {
    /// Files at the last walk below which one thread walks alone: starting others
    /// (tens of microseconds each) would cost more than sharing a short walk saves.
    public static let parallelFiles = 1_000

    /// Why a walk is made: to publish a build, as fast as the machine allows, or to
    /// check the walk from notices that published one (a full walk, in the background).
    public enum Purpose: Sendable, Equatable { case publish, check }

    /// Milliseconds a check waits after the build it checks: pages are fetching what the
    /// build changed then, and a full walk of a large out dir would take the CPU from them.
    public static let checkDelay = 200

    /// Whether a check may start: only while no build is pending, running or being
    /// published. A build that starts first is checked in its turn, and a check under
    /// way would hold up the walk that publishes it.
    public static func checkMayStart(buildPhase: Phase) -> Bool { buildPhase == .idle }

    /// What inotify said since the last walk.
    public enum Heard: Sendable, Equatable {
        /// The folders it named (possibly none).
        case folders(count: Int)
        /// An overflow, a dropped watch, or no notices at all: anything may have changed.
        case unknown
    }

    public enum Scope: Sendable, Equatable {
        /// Only the folders named, and new folders found in them.
        case notified
        case everything
    }

    /// False once a full walk found what notices missed (or without notices, --poll).
    public private(set) var trustsNotices: Bool
    private var walked = false
    private var lastWasFromNotices = false
    private var lastHadMissingRoots = false

    public init(usesNotices: Bool) { trustsNotices = usesNotices }

    /// Whether a walk keeps the small files that changed (RecentContents): not the first,
    /// where every file is read and none has changed.
    public var keepsChangedFiles: Bool { walked }

    /// A walk reads only what it was told of when it may: not the first walk, not one asked
    /// to be full, not when links or files with other names can change unheard, nor after a
    /// walk that found an out-dir folder missing (its return is a new tree). Nor when the
    /// sources' watcher named watched folders of the out dir that these notices have not
    /// (`unheard`, with no build command or an out dir among the sources): the kernel tells
    /// one inotify instance after the other, and a save can start its build in between.
    public func scope(full: Bool, heard: Heard?, linkedFiles: Int, unheard: Int = 0) -> Scope {
        guard !full, walked, trustsNotices, linkedFiles == 0, !lastHadMissingRoots, unheard == 0,
              case .folders? = heard else { return .everything }
        return .notified
    }

    /// Threads for a walk: a full walk of a large (or not yet known) out dir is shared,
    /// unless it is a check, which leaves the other cores to the pages.
    public func threads(scope: Scope, purpose: Purpose = .publish, filesLastWalk: Int, available: Int) -> Int {
        let large = !walked || filesLastWalk >= OutputWalkPolicy.parallelFiles
        return scope == .everything && large && purpose == .publish ? available : 1
    }

    /// Whether a full walk's changes show that the walk from notices before it was told too
    /// little: nothing was heard since, yet it changed something. The caller then waits a
    /// moment (a write is seen a moment before its notice is queued) and asks again.
    public func suspectsMissedNotices(scope: Scope, heard: Heard?, changed: Bool) -> Bool {
        scope == .everything && lastWasFromNotices && heard == .folders(count: 0) && changed
    }

    /// The suspicion held: from now on every walk reads everything.
    public mutating func noticesMissed() { trustsNotices = false }

    public mutating func walkEnded(scope: Scope, missingRoots: Bool) {
        walked = true
        lastWasFromNotices = scope == .notified
        lastHadMissingRoots = missingRoots
    }
}

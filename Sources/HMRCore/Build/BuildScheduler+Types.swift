// The vocabulary of the build scheduler: its settings, events, actions and phases.

public enum BusyPolicy: String, Sendable, CaseIterable {
    /// A change during a build runs the build once more after it.
    case queue
    /// A change during a build stops it and starts again.
    case restart
}

public struct BuildSettings: Sendable {
    public var hasCommand: Bool
    public var debounce: Int
    public var onBusy: BusyPolicy
    public var timeout: Int?
    /// How long a build asked to stop (TERM) gets before its group is killed.
    public var killGrace: Int

    public static let defaultKillGrace = 2_000

    public init(hasCommand: Bool, debounce: Int = DaemonConfig.defaultDebounce, onBusy: BusyPolicy = .queue,
                timeout: Int? = nil, killGrace: Int = BuildSettings.defaultKillGrace) {
        self.hasCommand = hasCommand
        self.debounce = debounce
        self.onBusy = onBusy
        self.timeout = timeout
        self.killGrace = killGrace
    }
}

public enum BuildEvent: Sendable, Equatable {
    case launch
    case fileChanged(String)
    case timerFired
    case buildExited(BuildOutcome)
    case outputPublished
    case shutdown
}

public enum BuildOutcome: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)
    case timedOut(after: Int)
    case failedToStart(String)

    public var succeeded: Bool { self == .exited(0) }
}

public struct BuildReport: Sendable, Equatable {
    public var outcome: BuildOutcome
    /// Wall time in milliseconds.
    public var time: Int
    public var trigger: [String]
}

public enum GroupSignal: Sendable, Equatable { case terminate, kill }

public enum BuildAction: Sendable, Equatable {
    /// Tell every client a build started.
    case announceBuilding(trigger: [String])
    /// Spawn the build command in a new process group.
    case runCommand
    /// Send a signal to the build's whole process group.
    case signalBuild(GroupSignal)
    /// Hash the out dir (after a good build) and publish `built`; answer with `.outputPublished`.
    case collectOutput(BuildReport)
    /// The build keeps rewriting watched files; say so and stop following it.
    case reportBuildLoop(paths: [String])
    /// The build group is gone; the daemon may exit.
    case finishShutdown
}

public enum Phase: Sendable, Equatable {
    case idle
    /// Debouncing: build when nothing changed until then.
    case waiting(quietUntil: Int)
    case running(Run)
    /// The build is over; its output is being hashed and published.
    case collecting
    case stopped
}

public struct Run: Sendable, Equatable {
    public var startedAt: Int
    public var trigger: [String]
    public var timeoutAt: Int?
    public var stopping: Stopping?
}

public struct Stopping: Sendable, Equatable {
    public enum Reason: Sendable, Equatable { case restart, timeout, shutdown }
    public var reason: Reason
    public var killAt: Int
    public var killSent = false
}

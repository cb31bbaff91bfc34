// When a run of the build command is over: the shell has exited and both of its
// output pipes reached EOF, or a short grace after the exit, because a process it
// left in the background (`watcher &`) may hold the pipes open for ever.

public struct BuildRunEnd: Sendable, Equatable {
    /// How long after the shell exits its pipes may stay open.
    public static let pipeGrace = 300

    public enum Event: Sendable, Equatable {
        case exited(BuildOutcome)
        case pipeClosed
        case graceElapsed
    }

    public enum Action: Sendable, Equatable {
        /// Wait `pipeGrace` ms for the pipes, then send `.graceElapsed`.
        case startGrace(milliseconds: Int)
        /// The run is over: report the outcome (once), stop the grace, close the pipes.
        case finish(BuildOutcome)
    }

    private var openPipes: Int
    private var outcome: BuildOutcome?
    private var finished = false

    public init(pipes: Int = 2) { openPipes = pipes }

    public mutating func handle(_ event: Event) -> [Action] {
        guard !finished else { return [] }
        var actions: [Action] = []
        switch event {
        case .exited(let result):
            outcome = result
            if openPipes > 0 { actions.append(.startGrace(milliseconds: BuildRunEnd.pipeGrace)) }
        case .pipeClosed:
            openPipes = max(0, openPipes - 1)
        case .graceElapsed:
            openPipes = 0
        }
        if let outcome, openPipes == 0 {
            finished = true
            actions.append(.finish(outcome))
        }
        return actions
    }
}

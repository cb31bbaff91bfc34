// What a finished build publishes and logs: from its report, the walk of its output
// (or, for a failed build, its output's tail) and the state before it, the new state,
// the `built` payload every stream gets, and the terminal's events, in order.

public struct BuildPublication: Sendable, Equatable {
    /// What `built` and every later `sync` describe.
    public var snapshot: BuildSnapshot
    /// The `built` payload.
    public var payload: String
    /// What the terminal shows, in order.
    public var events: [LogEvent]

    /// What the daemon knows besides the build.
    public struct Context: Sendable, Equatable {
        public var name: String
        public var hasCommand: Bool
        /// Warnings that ride in every payload until hmrd stops (a build loop).
        public var standingWarnings: [String]
        /// Open event streams, told of the build.
        public var clients: Int

        public init(name: String, hasCommand: Bool, standingWarnings: [String] = [], clients: Int) {
            self.name = name
            self.hasCommand = hasCommand
            self.standingWarnings = standingWarnings
            self.clients = clients
        }
    }

    /// A good build: its output's map replaces the last, and the changes are against it.
    /// `graph`: the import graph's difference since `previous`, when it rides in the payload.
    public static func succeeded(_ report: BuildReport, modules: ModuleMap, missingRoots: [String],
                                 previous: BuildSnapshot, graph: [UInt8]? = nil, context: Context) -> BuildPublication {
        var warnings = context.standingWarnings
        for missing in missingRoots {
            warnings.append("the output folder \(missing) does not exist" + (context.hasCommand ? " after the build" : ""))
        }
        let changes = modules.changes(since: previous.modules)
        let snapshot = BuildSnapshot(time: report.time, hash: modules.buildHash, warnings: warnings, errors: [],
                                     modules: modules, changes: changes, graph: graph)
        let summary = BuiltSummary(hash: snapshot.hash, milliseconds: report.time, added: changes.added.count,
                                   updated: changes.updated.count, removed: changes.removed.count,
                                   clients: context.clients)
        return BuildPublication(snapshot: snapshot, payload: Payload.built(name: context.name, snapshot: snapshot),
                                events: warnings.map(LogEvent.warning) + [.built(summary)])
    }

    /// A failed build: pages keep the last good output, and only the errors are new.
    public static func failed(_ report: BuildReport, outputTail tail: String, previous: BuildSnapshot,
                              context: Context) -> BuildPublication {
        let reason = report.outcome.reason
        let text = tail.isEmpty ? reason : (tail.hasSuffix("\n") ? tail : tail + "\n") + reason
        var snapshot = previous
        snapshot.time = report.time
        snapshot.errors = [text]
        snapshot.warnings = context.standingWarnings
        snapshot.changes = ModuleChanges()
        snapshot.graph = nil
        let failure = BuildFailure(exitCode: report.outcome.exitCode, milliseconds: report.time, reason: reason,
                                   clients: context.clients, output: tail)
        return BuildPublication(snapshot: snapshot, payload: Payload.built(name: context.name, snapshot: snapshot),
                                events: [.buildFailed(failure)])
    }

    /// The warning for a build that keeps rewriting watched files; it then rides in every payload.
    public static func buildLoopWarning(paths: [String]) -> String {
        "the build keeps rewriting watched files (\(TerminalText.summary(of: paths))), "
            + "so hmrd stopped rebuilding for them: pass --out with the build's output folder "
            + "or --ignore for these files"
    }
}

extension BuildOutcome {
    /// As a shell reports it: the exit code, 128 + signal, 124 for a timeout (as
    /// timeout(1) does), 127 for a command that did not start.
    public var exitCode: Int {
        switch self {
        case .exited(let code): return Int(code)
        case .signaled(let signal): return 128 + Int(signal)
        case .timedOut: return 124
        case .failedToStart: return 127
        }
    }

    /// One phrase for the terminal and the overlay.
    public var reason: String {
        switch self {
        case .exited(let code): return "build exited with code \(code)"
        case .signaled(let signal): return "build was killed by signal \(signal)"
        case .timedOut(let after):
            return "build timed out after \(DurationParser.format(milliseconds: after)) and was stopped (--build-timeout)"
        case .failedToStart(let why): return "build did not start: \(why)"
        }
    }
}

// When to build: the state machine between file changes and build processes.
//
// Events come in (a file changed, a timer fired, the build exited, its output was
// published, shutdown was asked for) with the time on the caller's monotonic clock
// in milliseconds; actions come out for the loop layer to carry out. The scheduler
// never reads a clock and never touches a process, so every schedule — debounce,
// `--on-busy queue|restart`, `--build-timeout`, a build that rewrites its own
// inputs — is tested with plain numbers.

public struct BuildScheduler: Sendable {
    public let settings: BuildSettings
    public private(set) var phase: Phase = .idle
    /// The earliest time the caller must send `.timerFired`, or nil for none.
    public var nextDeadline: Int? {
        switch phase {
        case .waiting(let quietUntil): return quietUntil
        case .running(let run):
            if let stop = run.stopping { return stop.killSent ? nil : stop.killAt }
            return run.timeoutAt
        case .idle, .collecting, .stopped: return nil
        }
    }

    /// Paths changed since the running (or last) build started, in order of first change.
    public private(set) var pending = OrderedPaths()
    private var lastChangeAt = Int.min
    private var loopGuard = BuildLoopGuard()

    public init(settings: BuildSettings) { self.settings = settings }

    public var isBuilding: Bool {
        switch phase {
        case .running, .collecting: return true
        case .idle, .waiting, .stopped: return false
        }
    }

    /// The out dir may be half-written: a build runs or its output is being published;
    /// without a build command, also while the debounce waits, as the user's own
    /// writes to it are still coming. Requests for its files wait meanwhile (OutputRead).
    public var outputUnsettled: Bool {
        if case .waiting = phase { return !settings.hasCommand }
        return isBuilding
    }

    public mutating func handle(_ event: BuildEvent, now: Int) -> [BuildAction] {
        if case .stopped = phase { return [] }
        switch event {
        case .launch: return launch(now: now)
        case .fileChanged(let path): return fileChanged(path, now: now)
        case .timerFired: return timerFired(now: now)
        case .buildExited(let outcome): return buildExited(outcome, now: now)
        case .outputPublished: return outputPublished(now: now)
        case .shutdown: return shutdown(now: now)
        }
    }

    private mutating func launch(now: Int) -> [BuildAction] {
        guard case .idle = phase else { return bug("launch twice") }
        if settings.hasCommand { return start(trigger: [], now: now) }
        phase = .collecting
        return [.collectOutput(BuildReport(outcome: .exited(0), time: 0, trigger: []))]
    }

    private mutating func fileChanged(_ path: String, now: Int) -> [BuildAction] {
        pending.insert(path)
        lastChangeAt = now
        switch phase {
        case .idle, .waiting:
            loopGuard.changedOutsideBuild()
            phase = .waiting(quietUntil: now + settings.debounce)
            return []
        case .collecting:
            loopGuard.changedDuringBuild(path)
            return []
        case .running(var run):
            loopGuard.changedDuringBuild(path)
            guard settings.onBusy == .restart, run.stopping == nil else { return [] }
            run.stopping = Stopping(reason: .restart, killAt: now + settings.killGrace)
            phase = .running(run)
            return [.signalBuild(.terminate)]
        case .stopped:
            return []
        }
    }

    private mutating func timerFired(now: Int) -> [BuildAction] {
        switch phase {
        case .waiting(let quietUntil):
            guard now >= quietUntil else { return [] }
            return start(trigger: pending.takeAll(), now: now)
        case .running(var run):
            if var stop = run.stopping {
                guard !stop.killSent, now >= stop.killAt else { return [] }
                stop.killSent = true
                run.stopping = stop
                phase = .running(run)
                return [.signalBuild(.kill)]
            }
            guard let timeoutAt = run.timeoutAt, now >= timeoutAt else { return [] }
            run.stopping = Stopping(reason: .timeout, killAt: now + settings.killGrace)
            phase = .running(run)
            return [.signalBuild(.terminate)]
        case .idle, .collecting, .stopped:
            return []
        }
    }

    private mutating func buildExited(_ outcome: BuildOutcome, now: Int) -> [BuildAction] {
        guard case .running(let run) = phase else { return bug("exit without a running build") }
        // Whatever the build left behind in its group goes with it once it was asked to stop.
        var actions: [BuildAction] = []
        if let stop = run.stopping, !stop.killSent { actions.append(.signalBuild(.kill)) }
        let elapsed = now - run.startedAt
        switch run.stopping?.reason {
        case .restart?:
            // The stopped build's changes are still unbuilt: they lead the next trigger.
            pending = OrderedPaths(run.trigger).merging(pending)
            phase = .idle
            return actions + followUp(now: now)
        case .shutdown?:
            phase = .stopped
            return actions + [.finishShutdown]
        case .timeout?:
            phase = .collecting
            let limit = settings.timeout ?? elapsed
            return actions + [.collectOutput(BuildReport(outcome: .timedOut(after: limit), time: elapsed, trigger: run.trigger))]
        case nil:
            phase = .collecting
            return actions + [.collectOutput(BuildReport(outcome: outcome, time: elapsed, trigger: run.trigger))]
        }
    }

    private mutating func outputPublished(now: Int) -> [BuildAction] {
        guard case .collecting = phase else { return bug("published without a build") }
        phase = .idle
        return followUp(now: now)
    }

    private mutating func shutdown(now: Int) -> [BuildAction] {
        switch phase {
        case .running(var run):
            if let stop = run.stopping, stop.reason == .shutdown {
                // Asked twice: skip the grace.
                guard !stop.killSent else { return [] }
                run.stopping?.killSent = true
                phase = .running(run)
                return [.signalBuild(.kill)]
            }
            run.stopping = Stopping(reason: .shutdown, killAt: now + settings.killGrace)
            phase = .running(run)
            return [.signalBuild(.terminate)]
        case .idle, .waiting, .collecting:
            phase = .stopped
            return [.finishShutdown]
        case .stopped:
            return []
        }
    }

    /// After a build: run once more for what changed meanwhile, unless the build caused it itself.
    private mutating func followUp(now: Int) -> [BuildAction] {
        let loop = loopGuard.buildEnded()
        guard !pending.isEmpty else { return [] }
        if let loop {
            pending = OrderedPaths()
            return [.reportBuildLoop(paths: loop)]
        }
        let quietUntil = lastChangeAt + settings.debounce
        if now >= quietUntil { return start(trigger: pending.takeAll(), now: now) }
        phase = .waiting(quietUntil: quietUntil)
        return []
    }

    /// Announced, then started. Telling 10,000 streams takes ~90 ms, but the hub writes
    /// `building` to one slice of them at once and to the rest over the next turns of the
    /// loop, so the build waits for a slice (~1 ms), not for every stream, and its exit
    /// and output are handled while the rest are told. Started first instead, every page
    /// would wait for the spawn (~0.5 ms, most of the 2 ms a save may take to reach one
    /// page beyond the debounce) for a gain of that one slice.
    private mutating func start(trigger: [String], now: Int) -> [BuildAction] {
        loopGuard.buildStarted()
        guard settings.hasCommand else {
            phase = .collecting
            return [.announceBuilding(trigger: trigger),
                    .collectOutput(BuildReport(outcome: .exited(0), time: 0, trigger: trigger))]
        }
        let timeoutAt = settings.timeout.map { now + $0 }
        phase = .running(Run(startedAt: now, trigger: trigger, timeoutAt: timeoutAt, stopping: nil))
        return [.announceBuilding(trigger: trigger), .runCommand]
    }

    private func bug(_ what: String) -> [BuildAction] {
        assertionFailure("BuildScheduler: \(what) in phase \(phase)")
        return []
    }
}

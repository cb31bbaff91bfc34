// The daemon carrying out the build scheduler's actions: announce, run, signal,
// collect the output and publish it (and check a walk made from inotify's notices).

import Glibc
import HMRCore

extension Daemon {
    func perform(_ action: BuildAction) {
        switch action {
        case .announceBuilding(let trigger):
            hub.broadcast(Payload.building(name: config.name, trigger: trigger), isState: false)
            log.emit(.building(trigger: trigger))
        case .runCommand:
            runCommand()
        case .signalBuild(let signal):
            BuildProcess.signal(group: buildGroup, signal)
        case .collectOutput(let report):
            collect(report)
        case .reportBuildLoop(let paths):
            let message = "the build keeps rewriting watched files (\(TerminalText.summary(of: paths))), "
                + "so hmrd stopped rebuilding for them: pass --out with the build's output folder "
                + "or --ignore for these files"
            log.warning(message)
            standingWarnings = [message]
        case .finishShutdown:
            stopStrays()
            finishShutdown()
        }
    }

    private func runCommand() {
        guard let command = config.buildCommand else { return }
        lastOutputTail = ""
        do {
            let process = try BuildProcess(loop: loop, command: command, echo: config.log.buildEcho) { [unowned self] outcome in
                self.lastOutputTail = self.build?.outputTail ?? ""
                self.build = nil
                self.noteStrays(of: self.buildGroup)
                self.send(.buildExited(outcome))
            }
            build = process
            buildGroup = process.groupID
        } catch {
            buildGroup = 0
            send(.buildExited(.failedToStart("cannot start /bin/sh: \(error)")))
        }
    }

    /// A finished build's group still has members (`sleep 30 &`, a watcher started in the
    /// background): remember it, so that stopping hmrd stops them as it would the build.
    private func noteStrays(of group: pid_t) {
        // Forget groups that have emptied since: their number may be handed out again.
        strayGroups.removeAll { kill(-$0, 0) != 0 }
        if group > 0, kill(-group, 0) == 0, !strayGroups.contains(group) { strayGroups.append(group) }
    }

    /// TERM for what finished builds left behind; hmrd does not wait for it.
    private func stopStrays() {
        for group in strayGroups where kill(-group, 0) == 0 {
            BuildProcess.signal(group: group, .terminate)
        }
        strayGroups.removeAll()
    }

    private func collect(_ report: BuildReport) {
        lastReport = report
        buildCount += 1
        guard report.outcome.succeeded else {
            publishFailure(report)
            return
        }
        let walker = self.walker!
        ThreadPoolJob.run(on: loop, { walker.walk() }, then: { [unowned self] result in
            self.keep(result.keptFiles)
            self.publish(report, result)
            self.send(.outputPublished)
            if result.fromNotices { self.checkNotices(after: report) }
        })
    }

    /// Walks the whole out dir after a walk that read only what inotify named. If that
    /// finds a change inotify did not report, the build's output was published short:
    /// publish it whole now (unless another build is under way, which will), and make
    /// every later walk a full one.
    private func checkNotices(after report: BuildReport) {
        let walker = self.walker!
        let builds = buildCount
        ThreadPoolJob.run(on: loop, { walker.walk(full: true) }, then: { [unowned self] result in
            self.keep(result.keptFiles)
            guard result.noticesMissedChanges else { return }
            self.log.warning("inotify did not report every change in the output folder (a network or FUSE mount, "
                + "or files written through mmap?), so hmrd now reads all of it after each build")
            guard self.buildCount == builds, !self.scheduler.isBuilding, self.scheduler.phase != .stopped else { return }
            self.publish(report, result)
        })
    }

    private func keep(_ files: [OutputWalker.KeptFile]) {
        for file in files { recentContents.record(hash: ContentHash.hex(file.hash), bytes: file.bytes) }
    }

    private func publish(_ report: BuildReport, _ result: OutputWalker.Result) {
        var warnings = standingWarnings
        for missing in result.missingRoots {
            warnings.append("the output folder \(missing) does not exist" + (config.buildCommand == nil ? "" : " after the build"))
        }
        let changes = result.modules.changes(since: snapshot.modules)
        snapshot = BuildSnapshot(time: report.time, hash: result.modules.buildHash, warnings: warnings, errors: [],
                                 modules: result.modules, changes: changes)
        recentBuilds.record(hash: snapshot.hash, modules: snapshot.modules.json)
        hub.broadcast(Payload.built(name: config.name, snapshot: snapshot), isState: true)
        // Before the scheduler moves on, so no next build has touched the out dir yet.
        heldRequests.releaseAll()
        for warning in warnings { log.warning(warning) }
        log.emit(.built(BuiltSummary(hash: snapshot.hash, milliseconds: report.time, added: changes.added.count,
                                     updated: changes.updated.count, removed: changes.removed.count,
                                     clients: hub.count)))
    }

    private func publishFailure(_ report: BuildReport) {
        let status = Daemon.describe(report.outcome)
        let tail = lastOutputTail
        let text = tail.isEmpty ? status : (tail.hasSuffix("\n") ? tail : tail + "\n") + status
        // The last good output stays what pages have; only the errors are new.
        snapshot.time = report.time
        snapshot.errors = [text]
        snapshot.warnings = standingWarnings
        snapshot.changes = ModuleChanges()
        hub.broadcast(Payload.built(name: config.name, snapshot: snapshot), isState: true)
        heldRequests.releaseAll()
        log.emit(.buildFailed(BuildFailure(exitCode: exitCodeOfLastBuild ?? 1, milliseconds: report.time, reason: status,
                                           clients: hub.count, output: tail)))
        send(.outputPublished)
    }

    static func describe(_ outcome: BuildOutcome) -> String {
        switch outcome {
        case .exited(let code): return "build exited with code \(code)"
        case .signaled(let signal): return "build was killed by signal \(signal)"
        case .timedOut(let after): return "build timed out after \(DurationParser.format(milliseconds: after)) and was stopped (--build-timeout)"
        case .failedToStart(let why): return "build did not start: \(why)"
        }
    }

    var exitCodeOfLastBuild: Int? {
        switch lastReport?.outcome {
        case .exited(let code)?: return Int(code)
        case .signaled(let signal)?: return 128 + Int(signal)
        case .timedOut?: return 124
        case .failedToStart?: return 127
        case nil: return nil
        }
    }
}

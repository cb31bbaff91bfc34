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
            let message = BuildPublication.buildLoopWarning(paths: paths)
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

    /// A finished build's group still has members: remember it, so that stopping hmrd stops them (StrayGroups).
    private func noteStrays(of group: pid_t) {
        strayGroups.buildEnded(group: group, isAlive: Daemon.groupIsAlive)
    }

    /// TERM for what finished builds left behind; hmrd does not wait for it.
    private func stopStrays() {
        for group in strayGroups.takeForShutdown(isAlive: Daemon.groupIsAlive) {
            BuildProcess.signal(group: group, .terminate)
        }
    }

    private static func groupIsAlive(_ group: pid_t) -> Bool { kill(-group, 0) == 0 }

    private func collect(_ report: BuildReport) {
        lastReport = report
        buildCount += 1
        guard report.outcome.succeeded else {
            publishFailure(report)
            return
        }
        walkOutput(.publish, changed: report.trigger) { [unowned self] result in
            self.keep(result.keptFiles)
            self.updateGraph(result)
            self.publish(report, result)
            self.send(.outputPublished)
            if result.fromNotices { self.checkNotices(after: report) }
        }
    }

    /// Walks the whole out dir, a moment after a walk that read only what inotify named
    /// (OutputWalkPolicy.checkDelay). If that finds a change inotify did not report, the
    /// build's output was published short: publish it whole now (unless another build
    /// is under way, which will), and make every later walk a full one. A build that
    /// starts first takes the check over: its own walk is checked in turn.
    private func checkNotices(after report: BuildReport) {
        let builds = buildCount
        noticeCheckTimer.onFire { [unowned self] in
            guard self.buildCount == builds, OutputWalkPolicy.checkMayStart(buildPhase: self.scheduler.phase) else { return }
            self.runNoticeCheck(after: report)
        }
        noticeCheckTimer.start(after: OutputWalkPolicy.checkDelay)
    }

    private func runNoticeCheck(after report: BuildReport) {
        let builds = buildCount
        walkOutput(.check) { [unowned self] result in
            self.keep(result.keptFiles)
            self.updateGraph(result)
            guard result.noticesMissedChanges else { return }
            self.log.warning("inotify did not report every change in the output folder (a network or FUSE mount, "
                + "or files written through mmap?), so hmrd now reads all of it after each build")
            guard self.buildCount == builds, !self.scheduler.isBuilding, self.scheduler.phase != .stopped else { return }
            self.publish(report, result)
        }
    }

    /// Walks the out dir on the thread pool; `then` runs on the loop, after every earlier walk's.
    /// `changed`: the paths the sources' watcher reported (as shown), some maybe in the out dir.
    private func walkOutput(_ purpose: OutputWalkPolicy.Purpose, changed: [String] = [],
                            then: @escaping (OutputWalker.Result) -> Void) {
        let walker = self.walker
        ThreadPoolJob.run(on: loop, { walker.walk(purpose, named: FilePaths.folders(of: changed)) }, then: { [unowned self] result in
            for ready in self.walkOrder.arrived(result.number, { then(result) }) { ready() }
        })
    }

    private func keep(_ files: [OutputWalker.KeptFile]) {
        for file in files { recentContents.record(hash: ContentHash.hex(file.hash), bytes: file.bytes) }
    }

    private var publicationContext: BuildPublication.Context {
        BuildPublication.Context(name: config.name, hasCommand: config.buildCommand != nil,
                                 standingWarnings: standingWarnings, clients: hub.count)
    }

    private func publish(_ report: BuildReport, _ result: OutputWalker.Result) {
        carryOut(BuildPublication.succeeded(report, modules: result.modules, missingRoots: result.missingRoots,
                                            previous: snapshot, graph: graphDifference(since: snapshot.hash),
                                            context: publicationContext))
    }

    private func publishFailure(_ report: BuildReport) {
        carryOut(BuildPublication.failed(report, outputTail: lastOutputTail, previous: snapshot,
                                         context: publicationContext))
        send(.outputPublished)
    }

    private func carryOut(_ publication: BuildPublication) {
        snapshot = publication.snapshot
        // A good build's map, for pages served before it to start from (and ask for its files).
        if snapshot.errors.isEmpty {
            recentBuilds.record(hash: snapshot.hash, modules: snapshot.modules.json)
            recordGraph(forBuild: snapshot.hash)
        }
        hub.broadcast(publication.payload, isState: true)
        // Before the scheduler moves on, so no next build has touched the out dir yet.
        heldRequests.releaseAll()
        for event in publication.events { log.emit(event) }
        if snapshot.errors.isEmpty { pagesSaid(reports.published(hash: snapshot.hash, now: loop.now)) }
    }
}

import XCTest
@testable import HMRCore

/// The scheduler driven with a fake clock: every number below is a millisecond.
final class BuildSchedulerTests: XCTestCase {
    private func scheduler(command: Bool = true, debounce: Int = 50, onBusy: BusyPolicy = .queue,
                           timeout: Int? = nil, grace: Int = 2_000) -> BuildScheduler {
        BuildScheduler(settings: BuildSettings(hasCommand: command, debounce: debounce, onBusy: onBusy,
                                               timeout: timeout, killGrace: grace))
    }

    private func report(_ outcome: BuildOutcome = .exited(0), time: Int, trigger: [String]) -> BuildAction {
        .collectOutput(BuildReport(outcome: outcome, time: time, trigger: trigger))
    }

    /// Launch and let the first build finish and publish, leaving the scheduler idle at `now`.
    private func settled(_ s: inout BuildScheduler, at now: Int = 100) {
        _ = s.handle(.launch, now: 0)
        _ = s.handle(.buildExited(.exited(0)), now: now)
        _ = s.handle(.outputPublished, now: now)
    }

    func testTheOutputIsUnsettledFromABuildsStartUntilItIsPublishedButNotWhileDebouncing() {
        var s = scheduler()
        _ = s.handle(.launch, now: 0)
        XCTAssertTrue(s.outputUnsettled)
        _ = s.handle(.buildExited(.exited(0)), now: 10)
        XCTAssertTrue(s.outputUnsettled, "collecting: the walk has not been published yet")
        _ = s.handle(.outputPublished, now: 12)
        XCTAssertFalse(s.outputUnsettled)
        _ = s.handle(.fileChanged("src/a.css"), now: 20)
        XCTAssertFalse(s.outputUnsettled, "the build has not touched the out dir yet")
    }

    func testWithoutACommandTheOutputIsUnsettledFromTheFirstChangeOn() {
        var s = scheduler(command: false)
        _ = s.handle(.launch, now: 0)
        _ = s.handle(.outputPublished, now: 1)
        XCTAssertFalse(s.outputUnsettled)
        _ = s.handle(.fileChanged("a.css"), now: 20)
        XCTAssertTrue(s.outputUnsettled, "the user is still writing the output")
    }

    func testLaunchStartsTheFirstBuildWithNoTrigger() {
        var s = scheduler()
        XCTAssertEqual(s.handle(.launch, now: 0), [.announceBuilding(trigger: []), .runCommand])
        XCTAssertTrue(s.isBuilding)
    }

    /// Kept on purpose (see `start`): the announcement goes out to a first slice of streams at
    /// once and the build starts right after it, so a single page hears `building` without
    /// waiting for the spawn, and many pages do not hold the build up.
    func testABuildIsAnnouncedThenStarted() {
        var s = scheduler()
        settled(&s)
        _ = s.handle(.fileChanged("a"), now: 1_000)
        XCTAssertEqual(s.handle(.timerFired, now: 1_050), [.announceBuilding(trigger: ["a"]), .runCommand])
    }

    func testWatchOnlyLaunchCollectsTheOutputWithoutAnnouncing() {
        var s = scheduler(command: false)
        XCTAssertEqual(s.handle(.launch, now: 0), [report(time: 0, trigger: [])])
    }

    func testAChangeWaitsForTheDebounceThenBuilds() {
        var s = scheduler()
        settled(&s)
        XCTAssertEqual(s.handle(.fileChanged("src/a.css"), now: 1_000), [])
        XCTAssertEqual(s.nextDeadline, 1_050)
        XCTAssertEqual(s.handle(.timerFired, now: 1_049), [])
        XCTAssertEqual(s.handle(.timerFired, now: 1_050), [.announceBuilding(trigger: ["src/a.css"]), .runCommand])
    }

    func testABurstOfChangesGivesOneBuildNamingEachPathOnce() {
        var s = scheduler()
        settled(&s)
        for (i, path) in ["a", "b", "a", "c"].enumerated() {
            XCTAssertEqual(s.handle(.fileChanged(path), now: 1_000 + i * 30), [])
        }
        // Each change pushes the quiet time out: trailing debounce.
        XCTAssertEqual(s.nextDeadline, 1_090 + 50)
        XCTAssertEqual(s.handle(.timerFired, now: 1_100), [])
        XCTAssertEqual(s.handle(.timerFired, now: 1_140), [.announceBuilding(trigger: ["a", "b", "c"]), .runCommand])
    }

    func testTheBuildReportCarriesWallTimeAndTrigger() {
        var s = scheduler()
        settled(&s)
        _ = s.handle(.fileChanged("x"), now: 1_000)
        _ = s.handle(.timerFired, now: 1_050)
        XCTAssertEqual(s.handle(.buildExited(.exited(2)), now: 1_087), [report(.exited(2), time: 37, trigger: ["x"])])
    }

    func testQueueModeRunsExactlyOneFollowUpForChangesDuringABuild() {
        var s = scheduler()
        _ = s.handle(.launch, now: 0)
        XCTAssertEqual(s.handle(.fileChanged("a"), now: 10), [])
        XCTAssertEqual(s.handle(.fileChanged("b"), now: 20), [])
        XCTAssertEqual(s.handle(.buildExited(.exited(0)), now: 500), [report(time: 500, trigger: [])])
        XCTAssertEqual(s.handle(.outputPublished, now: 510),
                       [.announceBuilding(trigger: ["a", "b"]), .runCommand])
        XCTAssertEqual(s.handle(.buildExited(.exited(0)), now: 900), [report(time: 390, trigger: ["a", "b"])])
        XCTAssertEqual(s.handle(.outputPublished, now: 905), [])
        XCTAssertEqual(s.phase, .idle)
    }

    func testAFollowUpStillWaitsOutTheDebounceOfARecentChange() {
        var s = scheduler()
        _ = s.handle(.launch, now: 0)
        _ = s.handle(.fileChanged("a"), now: 480)
        _ = s.handle(.buildExited(.exited(0)), now: 500)
        XCTAssertEqual(s.handle(.outputPublished, now: 505), [])
        XCTAssertEqual(s.nextDeadline, 530)
        XCTAssertEqual(s.handle(.timerFired, now: 530), [.announceBuilding(trigger: ["a"]), .runCommand])
    }

    func testChangesWhileTheOutputIsCollectedAlsoFollowUp() {
        var s = scheduler()
        _ = s.handle(.launch, now: 0)
        _ = s.handle(.buildExited(.exited(0)), now: 100)
        XCTAssertEqual(s.handle(.fileChanged("late"), now: 101), [])
        XCTAssertEqual(s.handle(.outputPublished, now: 200), [.announceBuilding(trigger: ["late"]), .runCommand])
    }

    func testRestartModeStopsTheRunningBuildAndRebuildsWithBothTriggers() {
        var s = scheduler(onBusy: .restart)
        settled(&s)
        _ = s.handle(.fileChanged("a"), now: 1_000)
        _ = s.handle(.timerFired, now: 1_050)
        XCTAssertEqual(s.handle(.fileChanged("b"), now: 1_100), [.signalBuild(.terminate)])
        // More changes while it stops do not signal again.
        XCTAssertEqual(s.handle(.fileChanged("c"), now: 1_110), [])
        XCTAssertEqual(s.handle(.buildExited(.signaled(15)), now: 1_200),
                       [.signalBuild(.kill), .announceBuilding(trigger: ["a", "b", "c"]), .runCommand])
    }

    func testRestartModeKillsABuildThatIgnoresTerm() {
        var s = scheduler(onBusy: .restart, grace: 500)
        settled(&s)
        _ = s.handle(.fileChanged("a"), now: 1_000)
        _ = s.handle(.timerFired, now: 1_050)
        _ = s.handle(.fileChanged("b"), now: 1_100)
        XCTAssertEqual(s.nextDeadline, 1_600)
        XCTAssertEqual(s.handle(.timerFired, now: 1_600), [.signalBuild(.kill)])
        XCTAssertNil(s.nextDeadline)
        XCTAssertEqual(s.handle(.buildExited(.signaled(9)), now: 1_610), [.announceBuilding(trigger: ["a", "b"]), .runCommand])
    }

    func testQueueModeNeverSignalsTheRunningBuild() {
        var s = scheduler(onBusy: .queue)
        _ = s.handle(.launch, now: 0)
        XCTAssertEqual(s.handle(.fileChanged("a"), now: 10), [])
        XCTAssertNil(s.nextDeadline)
    }

    func testTimeoutTermsThenKillsTheGroupAndReportsATimeout() {
        var s = scheduler(timeout: 5_000, grace: 2_000)
        _ = s.handle(.launch, now: 0)
        XCTAssertEqual(s.nextDeadline, 5_000)
        XCTAssertEqual(s.handle(.timerFired, now: 4_999), [])
        XCTAssertEqual(s.handle(.timerFired, now: 5_000), [.signalBuild(.terminate)])
        XCTAssertEqual(s.nextDeadline, 7_000)
        XCTAssertEqual(s.handle(.timerFired, now: 7_000), [.signalBuild(.kill)])
        XCTAssertEqual(s.handle(.buildExited(.signaled(9)), now: 7_010),
                       [report(.timedOut(after: 5_000), time: 7_010, trigger: [])])
    }

    func testATimedOutBuildThatExitsOnTermStillHasItsGroupKilled() {
        var s = scheduler(timeout: 1_000)
        _ = s.handle(.launch, now: 0)
        _ = s.handle(.timerFired, now: 1_000)
        XCTAssertEqual(s.handle(.buildExited(.signaled(15)), now: 1_020),
                       [.signalBuild(.kill), report(.timedOut(after: 1_000), time: 1_020, trigger: [])])
    }

    func testShutdownWhileIdleFinishesAtOnce() {
        var s = scheduler()
        settled(&s)
        XCTAssertEqual(s.handle(.shutdown, now: 2_000), [.finishShutdown])
        XCTAssertEqual(s.handle(.fileChanged("a"), now: 2_001), [])
    }

    func testShutdownDuringABuildStopsItsGroupFirst() {
        var s = scheduler(grace: 2_000)
        _ = s.handle(.launch, now: 0)
        XCTAssertEqual(s.handle(.shutdown, now: 100), [.signalBuild(.terminate)])
        XCTAssertEqual(s.handle(.buildExited(.signaled(15)), now: 150), [.signalBuild(.kill), .finishShutdown])
    }

    func testASecondShutdownSkipsTheGrace() {
        var s = scheduler(grace: 2_000)
        _ = s.handle(.launch, now: 0)
        _ = s.handle(.shutdown, now: 100)
        XCTAssertEqual(s.handle(.shutdown, now: 200), [.signalBuild(.kill)])
        XCTAssertEqual(s.handle(.buildExited(.signaled(9)), now: 210), [.finishShutdown])
    }

    func testShutdownGraceEndsInAKill() {
        var s = scheduler(grace: 2_000)
        _ = s.handle(.launch, now: 0)
        _ = s.handle(.shutdown, now: 100)
        XCTAssertEqual(s.handle(.timerFired, now: 2_100), [.signalBuild(.kill)])
    }

    func testWatchOnlyChangesCollectWithoutRunningAnything() {
        var s = scheduler(command: false)
        _ = s.handle(.launch, now: 0)
        _ = s.handle(.outputPublished, now: 5)
        _ = s.handle(.fileChanged("index.html"), now: 100)
        XCTAssertEqual(s.handle(.timerFired, now: 150),
                       [.announceBuilding(trigger: ["index.html"]), report(time: 0, trigger: ["index.html"])])
    }

    func testABuildRewritingItsOwnInputsIsStoppedAfterThreeRounds() {
        var s = scheduler()
        var now = 0
        var actions = s.handle(.launch, now: now)
        var builds = 0
        var reported: [String]?
        for _ in 0..<10 {
            guard actions.contains(.runCommand) else { break }
            builds += 1
            now += 10
            _ = s.handle(.fileChanged("src/gen.js"), now: now)   // the build writes a watched file
            now += 100
            _ = s.handle(.buildExited(.exited(0)), now: now)
            actions = s.handle(.outputPublished, now: now)
            if case .reportBuildLoop(let paths)? = actions.first { reported = paths }
        }
        XCTAssertEqual(builds, 3)
        XCTAssertEqual(reported, ["src/gen.js"])
        XCTAssertEqual(s.phase, .idle)
        // A real edit afterwards builds again.
        _ = s.handle(.fileChanged("src/app.js"), now: now + 1_000)
        XCTAssertEqual(s.handle(.timerFired, now: now + 1_050), [.announceBuilding(trigger: ["src/app.js"]), .runCommand])
    }

    func testSavingDuringBuildsBetweenOutsideEditsIsNotALoop() {
        var s = scheduler()
        settled(&s)
        var now = 1_000
        for _ in 0..<5 {
            _ = s.handle(.fileChanged("a.css"), now: now)            // outside a build
            XCTAssertEqual(s.handle(.timerFired, now: now + 50), [.announceBuilding(trigger: ["a.css"]), .runCommand])
            _ = s.handle(.buildExited(.exited(0)), now: now + 100)
            XCTAssertEqual(s.handle(.outputPublished, now: now + 100), [])
            now += 1_000
        }
    }

    func testEveryChangedPathIsAnnouncedAndReported() {
        var s = scheduler(command: false)
        _ = s.handle(.launch, now: 0)
        _ = s.handle(.outputPublished, now: 0)
        let paths = (0..<150).map { "f\($0)" }
        for p in paths { _ = s.handle(.fileChanged(p), now: 10) }
        XCTAssertEqual(s.handle(.timerFired, now: 60), [.announceBuilding(trigger: paths), report(time: 0, trigger: paths)])
    }
}

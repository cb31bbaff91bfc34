import XCTest
@testable import HMRCore

final class OutputWalkPolicyTests: XCTestCase {
    private func afterFirstWalk() -> OutputWalkPolicy {
        var p = OutputWalkPolicy(usesNotices: true)
        p.walkEnded(scope: .everything, missingRoots: false)
        return p
    }

    func testTheFirstWalkReadsEverythingOnAsManyThreadsAsThereAreAndKeepsNoFile() {
        let p = OutputWalkPolicy(usesNotices: true)
        XCTAssertFalse(p.keepsChangedFiles)
        XCTAssertTrue(afterFirstWalk().keepsChangedFiles)
        XCTAssertEqual(p.scope(full: false, heard: .folders(count: 2), linkedFiles: 0), .everything)
        XCTAssertEqual(p.threads(scope: .everything, filesLastWalk: 0, available: 4), 4)
    }

    func testLaterWalksReadOnlyTheFoldersNamedWhenTheyMay() {
        let p = afterFirstWalk()
        XCTAssertEqual(p.scope(full: false, heard: .folders(count: 2), linkedFiles: 0), .notified)
        XCTAssertEqual(p.threads(scope: .notified, filesLastWalk: 50_000, available: 4), 1)
        XCTAssertEqual(p.scope(full: true, heard: .folders(count: 2), linkedFiles: 0), .everything)
        XCTAssertEqual(p.scope(full: false, heard: .unknown, linkedFiles: 0), .everything)
        XCTAssertEqual(p.scope(full: false, heard: nil, linkedFiles: 0), .everything)
        XCTAssertEqual(p.scope(full: false, heard: .folders(count: 2), linkedFiles: 1), .everything)
    }

    func testAFolderTheSourcesWatcherNamedButTheseNoticesDidNotMakesTheWalkFull() {
        let p = afterFirstWalk()
        XCTAssertEqual(p.scope(full: false, heard: .folders(count: 0), linkedFiles: 0, unheard: 0), .notified)
        XCTAssertEqual(p.scope(full: false, heard: .folders(count: 0), linkedFiles: 0, unheard: 1), .everything)
        XCTAssertEqual(p.scope(full: false, heard: .folders(count: 3), linkedFiles: 0, unheard: 2), .everything)
    }

    func testASmallOutDirIsWalkedByOneThread() {
        let p = afterFirstWalk()
        XCTAssertEqual(p.threads(scope: .everything, filesLastWalk: 999, available: 4), 1)
        XCTAssertEqual(p.threads(scope: .everything, filesLastWalk: 1_000, available: 4), 4)
    }

    func testACheckWalksEverythingOnOneThreadAfterTheBuildsPagesHadTheirTurn() {
        let p = afterFirstWalk()
        XCTAssertEqual(p.scope(full: true, heard: .folders(count: 0), linkedFiles: 0), .everything)
        XCTAssertEqual(p.threads(scope: .everything, purpose: .check, filesLastWalk: 50_000, available: 4), 1)
        XCTAssertEqual(p.threads(scope: .everything, purpose: .publish, filesLastWalk: 50_000, available: 4), 4)
        XCTAssertGreaterThanOrEqual(OutputWalkPolicy.checkDelay, 100)
        XCTAssertTrue(OutputWalkPolicy.checkMayStart(buildPhase: .idle))
        XCTAssertFalse(OutputWalkPolicy.checkMayStart(buildPhase: .waiting(quietUntil: 5)))
        XCTAssertFalse(OutputWalkPolicy.checkMayStart(buildPhase: .collecting))
        XCTAssertFalse(OutputWalkPolicy.checkMayStart(buildPhase: .running(Run(startedAt: 0, trigger: [], timeoutAt: nil,
                                                                               stopping: nil))))
    }

    func testAfterAMissingRootTheNextWalkReadsEverything() {
        var p = afterFirstWalk()
        p.walkEnded(scope: .everything, missingRoots: true)
        XCTAssertEqual(p.scope(full: false, heard: .folders(count: 1), linkedFiles: 0), .everything)
    }

    func testAFullWalkThatChangesWhatNoNoticeNamedIsSuspectedAndThenNoticesAreNotTrusted() {
        var p = afterFirstWalk()
        p.walkEnded(scope: .notified, missingRoots: false)
        XCTAssertTrue(p.suspectsMissedNotices(scope: .everything, heard: .folders(count: 0), changed: true))
        XCTAssertFalse(p.suspectsMissedNotices(scope: .everything, heard: .folders(count: 1), changed: true))
        XCTAssertFalse(p.suspectsMissedNotices(scope: .everything, heard: .folders(count: 0), changed: false))
        p.noticesMissed()
        XCTAssertEqual(p.scope(full: false, heard: .folders(count: 2), linkedFiles: 0), .everything)
    }

    func testWithoutNoticesEveryWalkReadsEverything() {
        var p = OutputWalkPolicy(usesNotices: false)
        p.walkEnded(scope: .everything, missingRoots: false)
        XCTAssertEqual(p.scope(full: false, heard: .folders(count: 2), linkedFiles: 0), .everything)
    }
}

import XCTest
@testable import HMRCore

final class OutputReadTests: XCTestCase {
    private let a = "00000000000000aa"
    private let b = "00000000000000bb"

    func testARequestWaitsWhileABuildRunsWhateverItsFileHolds() {
        XCTAssertEqual(OutputRead.verdict(.init(building: true)), .waitForBuild)
        XCTAssertEqual(OutputRead.verdict(.init(building: true, expected: a, actual: a)), .waitForBuild)
    }

    func testOutOfTimeDuringABuildTheFileIsAnsweredAsItStands() {
        XCTAssertEqual(OutputRead.verdict(.init(building: true, outOfTime: true)), .serve)
        XCTAssertEqual(OutputRead.verdict(.init(building: true, expected: a, actual: b, outOfTime: true)), .serve)
    }

    func testAFileTheMapListsIsServedWhenItsBytesHaveTheMapsHash() {
        XCTAssertEqual(OutputRead.verdict(.init(building: false, expected: a, actual: a)), .serve)
    }

    func testFilesTheMapDoesNotListOrThatWereNotReadWholeAreServed() {
        XCTAssertEqual(OutputRead.verdict(.init(building: false, expected: nil, actual: a)), .serve)
        XCTAssertEqual(OutputRead.verdict(.init(building: false, expected: a, actual: nil)), .serve)
    }

    func testAFileThatDiffersFromTheMapWaitsOnceForTheBuildThatWillPublishIt() {
        XCTAssertEqual(OutputRead.verdict(.init(building: false, expected: a, actual: b)), .waitForUnsettled)
        XCTAssertEqual(OutputRead.verdict(.init(building: false, expected: a, actual: b, waitedForUnsettled: true)),
                       .serve)
    }

    func testAPageAskingForABuildsBytesIsRefusedRatherThanGivenBytesOfNoBuild() {
        let stale = OutputRead.Facts(building: false, expected: a, actual: b, asksForBuild: true, waitedForUnsettled: true)
        XCTAssertEqual(OutputRead.verdict(stale), .refuse)
        var late = stale
        late.waitedForUnsettled = false
        late.outOfTime = true
        XCTAssertEqual(OutputRead.verdict(late), .refuse)
        late.actual = a
        XCTAssertEqual(OutputRead.verdict(late), .serve)
    }

    func testOnlyListedFilesUpToTheLimitAreReadWholeToBeChecked() {
        XCTAssertTrue(OutputRead.isChecked(listed: true, size: OutputRead.checkedMaxBytes))
        XCTAssertFalse(OutputRead.isChecked(listed: true, size: OutputRead.checkedMaxBytes + 1))
        XCTAssertFalse(OutputRead.isChecked(listed: false, size: 10))
    }
}

final class OutputReadPlanTests: XCTestCase {
    func testAKeptVersionIsServedAtOnceEvenDuringABuild() {
        var facts = OutputRead.Facts(building: true, asksForBuild: true)
        facts.keptVersion = true
        XCTAssertEqual(OutputRead.verdict(facts), .serveKept)
    }

    func testAFileOutsideTheOutDirNeverWaits() {
        var facts = OutputRead.Facts(building: true, expected: "a", actual: "b")
        facts.inOutDir = false
        XCTAssertEqual(OutputRead.verdict(facts), .serve)
    }

    func testPagesAreReadWholeUpToTheirLimitListedFilesUpToTheCheckedOnesAndTheRestStreamed() {
        XCTAssertEqual(OutputRead.reading(isPage: true, listed: false, size: 10, pageLimit: 100), .whole(limit: 100))
        XCTAssertEqual(OutputRead.reading(isPage: true, listed: true, size: 101, pageLimit: 100), .tooLarge)
        XCTAssertEqual(OutputRead.reading(isPage: false, listed: true, size: 10, pageLimit: 100),
                       .whole(limit: OutputRead.checkedMaxBytes))
        XCTAssertEqual(OutputRead.reading(isPage: false, listed: false, size: 10, pageLimit: 100), .stream)
        XCTAssertEqual(OutputRead.reading(isPage: false, listed: true, size: OutputRead.checkedMaxBytes + 1,
                                          pageLimit: 100), .stream)
    }

    func testARequestWaitsForTheBuildAtMostItsLongestWaitAndForAnUnsettledFileASecond() {
        XCTAssertEqual(OutputRead.holdUntil(.waitForBuild, now: 500, arrived: 100, longestWait: 30_000), 30_100)
        XCTAssertEqual(OutputRead.holdUntil(.waitForUnsettled, now: 500, arrived: 100, longestWait: 30_000), 1_500)
        XCTAssertEqual(OutputRead.holdUntil(.waitForUnsettled, now: 500, arrived: 100, longestWait: 900), 1_000)
    }

    func testARequestWaitsAsLongAsTheBuildMayRun() {
        XCTAssertEqual(OutputRead.longestWait(buildTimeout: 5_000), 5_000)
        XCTAssertEqual(OutputRead.longestWait(buildTimeout: nil), 30_000)
    }

    func testTheBuildAPageAsksForIsTheHmrParameterWithoutItsRetryCount() {
        XCTAssertEqual(OutputRead.askedForBuild("v=2&hmr=00000000000000aa-3"), "00000000000000aa")
        XCTAssertEqual(OutputRead.askedForBuild("hmr=00000000000000aa"), "00000000000000aa")
        XCTAssertNil(OutputRead.askedForBuild("v=2"))
        XCTAssertNil(OutputRead.askedForBuild(nil))
    }
}

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

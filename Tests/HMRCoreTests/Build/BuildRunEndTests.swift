import XCTest
@testable import HMRCore

final class BuildRunEndTests: XCTestCase {
    func testARunEndsWhenTheShellHasExitedAndBothPipesClosedInAnyOrder() {
        var end = BuildRunEnd()
        XCTAssertEqual(end.handle(.pipeClosed), [])
        XCTAssertEqual(end.handle(.exited(.exited(0))), [.startGrace(milliseconds: BuildRunEnd.pipeGrace)])
        XCTAssertEqual(end.handle(.pipeClosed), [.finish(.exited(0))])
    }

    func testPipesClosedBeforeTheExitNeedNoGrace() {
        var end = BuildRunEnd()
        _ = end.handle(.pipeClosed)
        _ = end.handle(.pipeClosed)
        XCTAssertEqual(end.handle(.exited(.signaled(9))), [.finish(.signaled(9))])
    }

    func testABackgroundProcessHoldingThePipesDelaysTheEndOnlyByTheGrace() {
        var end = BuildRunEnd()
        _ = end.handle(.exited(.exited(2)))
        XCTAssertEqual(end.handle(.graceElapsed), [.finish(.exited(2))])
        XCTAssertEqual(end.handle(.pipeClosed), [], "reported once")
    }

    func testTheGraceIsNothingBeforeTheExit() {
        var end = BuildRunEnd()
        XCTAssertEqual(end.handle(.graceElapsed), [])
        XCTAssertEqual(end.handle(.exited(.exited(0))), [.finish(.exited(0))])
    }
}

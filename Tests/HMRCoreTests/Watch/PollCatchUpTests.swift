import XCTest
@testable import HMRCore

final class PollCatchUpTests: XCTestCase {
    private let margin: Int64 = 20_000_000 // 20 ms, as PollTreeWalker's

    func testTheCatchUpWalkStartsPastTheRacyMargin() {
        var c = PollCatchUp(racyMarginNanoseconds: margin)
        XCTAssertEqual(c.hold(now: 100), 125)
        XCTAssertEqual(c.due, 125)
    }

    func testALaterHoldPushesTheWalkLaterAndOneWalkReleasesBoth() {
        var c = PollCatchUp(racyMarginNanoseconds: margin)
        _ = c.hold(now: 100)
        XCTAssertEqual(c.hold(now: 110), 135)
        XCTAssertFalse(c.walkEnded(startedAt: 130), "a walk that started too early does not count")
        XCTAssertTrue(c.walkEnded(startedAt: 135))
        XCTAssertNil(c.due)
    }

    func testNothingWaitingIsNothingReleased() {
        var c = PollCatchUp(racyMarginNanoseconds: margin)
        XCTAssertFalse(c.walkEnded(startedAt: 1_000))
        _ = c.hold(now: 0)
        c.cancel()
        XCTAssertFalse(c.walkEnded(startedAt: 1_000))
    }
}

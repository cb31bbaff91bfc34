import XCTest
@testable import HMRCore

final class LoadSheddingTests: XCTestCase {
    func testTheFirstConnectionTurnedAwayWarnsAndTheRestOfTheStretchDoesNot() {
        var shedding = LoadShedding()
        XCTAssertFalse(shedding.isShedding)
        XCTAssertTrue(shedding.turnedAway(now: 1_000))
        XCTAssertTrue(shedding.isShedding)
        for now in 1_001...1_500 { XCTAssertFalse(shedding.turnedAway(now: now)) }
    }

    func testTheNextAcceptedConnectionEndsTheStretchWithItsCount() {
        var shedding = LoadShedding()
        _ = shedding.turnedAway(now: 0)
        _ = shedding.turnedAway(now: 5)
        _ = shedding.turnedAway(now: 9)
        XCTAssertEqual(shedding.accepted(), 3)
        XCTAssertFalse(shedding.isShedding)
        XCTAssertNil(shedding.accepted(), "nothing to report while nothing is turned away")
    }

    func testAStretchSoonAfterAWarningIsNeitherWarnedNorReported() {
        var shedding = LoadShedding()
        XCTAssertTrue(shedding.turnedAway(now: 0))
        XCTAssertEqual(shedding.accepted(), 1)
        XCTAssertFalse(shedding.turnedAway(now: LoadShedding.quietPeriod - 1))
        XCTAssertNil(shedding.accepted(), "an unannounced stretch ends silently")
    }

    func testAStretchAfterTheQuietPeriodWarnsAgain() {
        var shedding = LoadShedding()
        XCTAssertTrue(shedding.turnedAway(now: 0))
        _ = shedding.accepted()
        XCTAssertTrue(shedding.turnedAway(now: LoadShedding.quietPeriod))
        XCTAssertEqual(shedding.accepted(), 1)
    }

    func testALongStretchIsWarnedOnceHoweverLongItLasts() {
        var shedding = LoadShedding()
        XCTAssertTrue(shedding.turnedAway(now: 0))
        XCTAssertFalse(shedding.turnedAway(now: LoadShedding.quietPeriod * 10))
        XCTAssertEqual(shedding.accepted(), 2)
    }

    func testTheThrottleLetsOneThroughPerPeriod() {
        var throttle = WarningThrottle(period: 100)
        XCTAssertTrue(throttle.allows(now: 0))
        XCTAssertFalse(throttle.allows(now: 99))
        XCTAssertTrue(throttle.allows(now: 100))
        XCTAssertFalse(throttle.allows(now: 150))
    }
}

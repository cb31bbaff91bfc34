import XCTest
@testable import HMRCore

final class OutputWaitListTests: XCTestCase {
    func testAPublishReleasesEveryWaitingRequestOldestFirst() {
        var list = OutputWaitList()
        list.hold(3, until: 500)
        list.hold(1, until: 900)
        list.hold(2, until: 100)
        XCTAssertEqual(list.nextDeadline, 100)
        XCTAssertEqual(list.releaseAll(), [1, 2, 3])
        XCTAssertEqual(list.count, 0)
        XCTAssertNil(list.nextDeadline)
    }

    func testOnlyRequestsWhoseDeadlineCameAreReleasedByTheClock() {
        var list = OutputWaitList()
        list.hold(1, until: 100)
        list.hold(2, until: 200)
        list.hold(3, until: 100)
        XCTAssertEqual(list.expired(now: 99), [])
        XCTAssertEqual(list.expired(now: 100), [1, 3])
        XCTAssertEqual(list.nextDeadline, 200)
        XCTAssertEqual(list.expired(now: 250), [2])
        XCTAssertNil(list.nextDeadline)
    }

    func testAForgottenRequestIsNeitherReleasedNorTimed() {
        var list = OutputWaitList()
        list.hold(1, until: 100)
        list.hold(2, until: 300)
        list.forget(1)
        list.forget(7)
        XCTAssertEqual(list.nextDeadline, 300)
        XCTAssertEqual(list.releaseAll(), [2])
    }

    func testHoldingARequestAgainMovesItsDeadline() {
        var list = OutputWaitList()
        list.hold(1, until: 100)
        _ = list.expired(now: 100)
        list.hold(1, until: 400)
        XCTAssertEqual(list.expired(now: 300), [])
        XCTAssertEqual(list.expired(now: 400), [1])
    }
}

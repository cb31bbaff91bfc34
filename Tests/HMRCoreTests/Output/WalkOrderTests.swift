import XCTest
@testable import HMRCore

final class WalkOrderTests: XCTestCase {
    func testResultsGoOnInTheOrderTheWalksRanWhateverOrderTheyCameIn() {
        var order = WalkOrder<String>()
        XCTAssertEqual(order.arrived(1, "first"), ["first"])
        XCTAssertEqual(order.arrived(3, "publish"), [], "walk 2 (a check) has not come back yet")
        XCTAssertEqual(order.arrived(4, "next"), [])
        XCTAssertEqual(order.arrived(2, "check"), ["check", "publish", "next"])
        XCTAssertEqual(order.arrived(5, "last"), ["last"])
    }
}

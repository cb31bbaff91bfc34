import XCTest
@testable import HMRCore

final class DescriptorBudgetTests: XCTestCase {
    func testASmallTableKeepsTheMinimumReserveFree() {
        let budget = DescriptorBudget(limit: 64)
        XCTAssertEqual(budget.reserve, 16)
        XCTAssertTrue(budget.admits(descriptor: 47))
        XCTAssertFalse(budget.admits(descriptor: 48))
        XCTAssertFalse(budget.admits(descriptor: 63))
    }

    func testTheCommonLimitKeepsAnEighthFree() {
        let budget = DescriptorBudget(limit: 1024)
        XCTAssertEqual(budget.reserve, 128)
        XCTAssertTrue(budget.admits(descriptor: 895))
        XCTAssertFalse(budget.admits(descriptor: 896))
    }

    func testALargeLimitKeepsAtMostTheMaximumReserve() {
        XCTAssertEqual(DescriptorBudget(limit: 1_048_576).reserve, 256)
        XCTAssertTrue(DescriptorBudget(limit: 1_048_576).admits(descriptor: 1_048_576 - 257))
    }

    func testAnUnlimitedTableDoesNotOverflow() {
        let budget = DescriptorBudget(limit: Int.max)
        XCTAssertEqual(budget.reserve, 256)
        XCTAssertTrue(budget.admits(descriptor: 1 << 40))
    }

    func testATinyTableKeepsHalfFreeRatherThanAll() {
        let budget = DescriptorBudget(limit: 20)
        XCTAssertEqual(budget.reserve, 10)
        XCTAssertTrue(budget.admits(descriptor: 9))
        XCTAssertFalse(budget.admits(descriptor: 10))
    }

    func testANegativeLimitAdmitsNothing() {
        let budget = DescriptorBudget(limit: -1)
        XCTAssertEqual(budget.limit, 0)
        XCTAssertFalse(budget.admits(descriptor: 0))
    }
}

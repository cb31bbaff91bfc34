// How often pages may report: a page's burst and rate, the pages' total, and one
// line per stretch of drops with its count.

import XCTest
@testable import HMRCore

final class ReportRateLimitTests: XCTestCase {
    func testAPageHasABurstThenTenASecondAndItsDropsAreCountedOnceTheStretchIsOver() {
        var limit = ReportRateLimit()
        let burst = Int(ReportRateLimit.pageBurst)
        XCTAssertEqual((0..<burst).filter { _ in limit.admit(page: "p", url: "http://l/", now: 0) }.count, burst)
        XCTAssertFalse(limit.admit(page: "p", url: "http://l/", now: 0))
        XCTAssertFalse(limit.admit(page: "p", url: "http://l/", now: 50))
        XCTAssertTrue(limit.admit(page: "q", url: "http://l/q", now: 50), "another page has its own")
        XCTAssertTrue(limit.admit(page: "p", url: "http://l/", now: 100), "one more after 100 ms")
        XCTAssertFalse(limit.admit(page: "p", url: "http://l/", now: 100))
        XCTAssertEqual(limit.nextDeadline, 1_100)
        XCTAssertEqual(limit.tick(now: 1_099), [])
        XCTAssertEqual(limit.tick(now: 1_100), [.reportsDropped(url: "http://l/", count: 3)])
        XCTAssertEqual(limit.tick(now: 5_000), [])
        XCTAssertNil(limit.nextDeadline)
    }

    func testAFloodUnderEverNewIdsMeetsTheTotalAndIsOneLine() {
        var limit = ReportRateLimit()
        let admitted = (0..<3_000).filter { limit.admit(page: "p\($0)", url: "http://l/", now: 0) }.count
        XCTAssertEqual(admitted, Int(ReportRateLimit.totalBurst))
        XCTAssertEqual(limit.tick(now: 1_000), [.reportsDropped(url: ReportRateLimit.allPages, count: 2_000)])
        XCTAssertTrue(limit.admit(page: "new", url: "http://l/", now: 1_000), "refilled by then")
    }

    func testTheTableOfPagesStaysBounded() {
        var limit = ReportRateLimit()
        for n in 0..<10_000 { _ = limit.admit(page: "p\(n)", url: "u", now: n * 10) }
        XCTAssertLessThanOrEqual(Mirror(reflecting: limit).children.compactMap { $0.value as? [String: Any] }.first?.count ?? 0,
                                 ReportRateLimit.capacity)
    }
}

// A report from its body to the answer: 400, 429 and 204, and what the terminal says.

import XCTest
@testable import HMRCore

final class ReportDeskTests: XCTestCase {
    func testABodyIsAnsweredAndTakenIn() {
        var desk = ReportDesk(daemonName: "")
        let hello = Array(#"{"type":"hello","page":"p","url":"http://l/","hash":"a0"}"#.utf8)
        XCTAssertEqual(desk.receive(hello, now: 0), ReportDesk.Verdict(status: .noContent, reason: nil, said: []))
        XCTAssertEqual(desk.table.open().map(\.url), ["http://l/"])
        XCTAssertEqual(desk.published(hash: "a1", now: 1), [])
        let applied = Array(#"{"type":"outcome","page":"p","url":"http://l/","hash":"a1","outcome":"applied","ms":5}"#.utf8)
        var outcome = PagesOutcome(hash: "a1")
        outcome.applied = 1
        outcome.fastestMs = 5
        outcome.slowestMs = 5
        XCTAssertEqual(desk.receive(applied, now: 2).said, [.pagesOutcome(outcome)])
    }

    func testWhatIsNotAReportIs400AndWhatIsOverTheLimit429() {
        var desk = ReportDesk(daemonName: "")
        let bad = desk.receive(Array("{}".utf8), now: 0)
        XCTAssertEqual(bad.status, .badRequest)
        XCTAssertTrue(bad.reason!.hasPrefix("not a page report: `page` must be"), bad.reason!)
        let hello = Array(#"{"type":"hello","page":"p","url":"http://l/"}"#.utf8)
        let statuses = (0..<25).map { _ in desk.receive(hello, now: 0).status.code }
        XCTAssertEqual(statuses.filter { $0 == 204 }.count, Int(ReportRateLimit.pageBurst))
        XCTAssertEqual(statuses.filter { $0 == 429 }.count, 5)
        XCTAssertEqual(desk.nextDeadline, 1_000)
        XCTAssertEqual(desk.tick(now: 1_000), [.reportsDropped(url: "http://l/", count: 5)])
    }
}

// `hmrd wait --applied`'s verdict from the daemon's pages.

import XCTest
@testable import HMRCore

final class AppliedCheckTests: XCTestCase {
    private func page(_ id: String, hash: String?, _ last: PageReport.Outcome? = nil, name: String? = nil) -> PageTable.Page {
        PageTable.Page(id: id, url: "http://l/\(id)", name: name, hash: hash,
                       last: last.map { .init(outcome: $0, hash: "h1", error: $0 == .failed ? "TypeError: x\nat f" : nil) },
                       seen: 0)
    }

    func testEveryPageShowingTheBuildIsApplied() {
        XCTAssertEqual(AppliedCheck.verdict(pages: [page("a", hash: "h1", .applied), page("b", hash: "h1", .reloaded)],
                                            hash: "h1", daemonName: ""), .applied(count: 2))
        XCTAssertEqual(AppliedCheck.verdict(pages: [], hash: "h1", daemonName: ""), .applied(count: 0))
    }

    func testAPageNotThereYetIsWaitedForAndOneThatFailedEndsIt() {
        let behind = page("b", hash: "h0")
        XCTAssertEqual(AppliedCheck.verdict(pages: [page("a", hash: "h1", .applied), behind], hash: "h1", daemonName: ""),
                       .waiting(for: [behind]))
        let failed = page("c", hash: "h0", .failed)
        XCTAssertEqual(AppliedCheck.verdict(pages: [behind, failed], hash: "h1", daemonName: ""), .failed([failed]))
        XCTAssertEqual(AppliedCheck.describe(failed), "http://l/c: failed h1: TypeError: x")
        XCTAssertEqual(AppliedCheck.describe(behind), "http://l/b: no outcome reported yet")
    }

    func testAPageOnItsWayBackFromAReloadIsWaitedFor() {
        var reloading = page("r", hash: "h0")
        reloading.reloadingSince = 5
        XCTAssertEqual(AppliedCheck.verdict(pages: [reloading], hash: "h1", daemonName: ""), .waiting(for: [reloading]))
        XCTAssertEqual(AppliedCheck.describe(reloading), "http://l/r: reloading")
    }

    func testAPageOfAnotherBundleIsNotWaitedFor() {
        XCTAssertEqual(AppliedCheck.verdict(pages: [page("a", hash: "h0", name: "other"), page("b", hash: "h1", name: "app")],
                                            hash: "h1", daemonName: "app"), .applied(count: 1))
    }

    func testABuildPublishedSinceCountsInPlaceOfTheOneWaitedFor() {
        var status = StatusReport(building: false, name: "", hash: "h2", buildCount: 2, lastExitCode: 0, lastBuildMs: 1,
                                  lastBuildOK: true, clients: 1, uptimeMs: 0, version: "0", pages: [page("a", hash: "h1")])
        XCTAssertEqual(AppliedCheck.verdict(status, built: "h1"), .waiting(for: [page("a", hash: "h1")]))
        status.pages = [page("a", hash: "h2")]
        XCTAssertEqual(AppliedCheck.verdict(status, built: "h1"), .applied(count: 1))
        status.hash = ""
        status.pages = [page("a", hash: "h1")]
        XCTAssertEqual(AppliedCheck.verdict(status, built: "h1"), .applied(count: 1))
    }
}

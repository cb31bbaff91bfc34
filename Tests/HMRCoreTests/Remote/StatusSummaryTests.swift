import XCTest
@testable import HMRCore

final class StatusSummaryTests: XCTestCase {
    private let report = StatusReport(building: false, name: "", hash: "3c51f0a9d2e4b718", buildCount: 4, lastExitCode: 0,
                                      lastBuildMs: 12, lastBuildOK: true, clients: 2, uptimeMs: 3_723_400, version: "0.3.0")

    func testAnIdleDaemonReadsAsAlignedLines() {
        XCTAssertEqual(StatusSummary.text(report, url: "http://127.0.0.1:5757", streamPath: "/__hmr"), """
            url:        http://127.0.0.1:5757 (stream /__hmr)
            state:      idle
            hash:       3c51f0a9d2e4b718
            last build: ok in 12ms (exit code 0); 4 builds so far
            clients:    2
            uptime:     1h 2m 3s
            version:    0.3.0
            pages:      0

            """)
    }

    func testOpenPagesAreListedWithWhatTheyLastDidAndNothingOfThemDrivesTheTerminal() {
        var r = report
        r.pages = [PageTable.Page(id: "a", url: "http://l/", hash: "3c", last: .init(outcome: .applied, hash: "3c", ms: 7.6),
                                  seen: 0),
                   PageTable.Page(id: "b", url: "http://l/\u{1B}[2J", last: .init(outcome: .failed, hash: "3c",
                                                                             error: "TypeError: \u{1B}[31mx\nat f"), seen: 0),
                   PageTable.Page(id: "c", url: "http://l/new", seen: 0)]
        XCTAssertTrue(StatusSummary.text(r, url: "u", streamPath: "/p").hasSuffix("""
            pages:      3
              http://l/: applied 3c in 8 ms
              http://l/\\x1B[2J: failed 3c: TypeError: \\x1B[31mx
              http://l/new: no outcome reported yet

            """), StatusSummary.text(r, url: "u", streamPath: "/p"))
    }

    func testAFailedBuildANameAndBuildingShow() {
        var r = report
        r.building = true
        r.name = "app"
        r.lastBuildOK = false
        r.lastExitCode = 3
        r.buildCount = 1
        let text = StatusSummary.text(r, url: "http://[::1]:80", streamPath: "/hot")
        XCTAssertTrue(text.contains("state:      building\nname:       app\n"), text)
        XCTAssertTrue(text.contains("last build: failed in 12ms (exit code 3); 1 build so far\n"), text)
    }

    func testBeforeTheFirstBuildThereIsNoneYet() {
        let fresh = StatusReport(building: true, name: "", hash: "", buildCount: 0, lastExitCode: nil, lastBuildMs: nil,
                                 lastBuildOK: nil, clients: 0, uptimeMs: 0, version: "0.3.0")
        let text = StatusSummary.text(fresh, url: "u", streamPath: "/p")
        XCTAssertTrue(text.contains("hash:       none yet\nlast build: none yet\n"), text)
    }

    func testANameCannotDriveTheTerminal() {
        var r = report
        r.name = "\u{1B}]0;x\u{07}"
        XCTAssertTrue(StatusSummary.text(r, url: "u", streamPath: "/p").contains("name:       \\x1B]0;x\\x07\n"))
    }

    func testUptimeShowsTheUnitsThatMatter() {
        XCTAssertEqual(StatusSummary.uptime(milliseconds: 999), "0s")
        XCTAssertEqual(StatusSummary.uptime(milliseconds: 45_000), "45s")
        XCTAssertEqual(StatusSummary.uptime(milliseconds: 125_000), "2m 5s")
        XCTAssertEqual(StatusSummary.uptime(milliseconds: 3_600_000), "1h 0m 0s")
        XCTAssertEqual(StatusSummary.uptime(milliseconds: 266_700_000), "3d 2h 5m")
    }
}

import XCTest
@testable import HMRCore

final class StatusReportDecodingTests: XCTestCase {
    func testAReportReadsBackFromItsJSON() throws {
        let report = StatusReport(building: true, name: "app", hash: "3c51f0a9d2e4b718", buildCount: 4, lastExitCode: 2,
                                  lastBuildMs: 37, lastBuildOK: false, clients: 3, uptimeMs: 61_042, version: "1.2.3")
        XCTAssertEqual(try StatusReport(json: report.json), report)
    }

    func testNullsBeforeTheFirstBuildReadBackAsNil() throws {
        let report = StatusReport(building: false, name: "", hash: "", buildCount: 0, lastExitCode: nil,
                                  lastBuildMs: nil, lastBuildOK: nil, clients: 0, uptimeMs: 5, version: "1.2.3")
        XCTAssertEqual(try StatusReport(json: report.json), report)
    }

    func testPagesReadBackAndAnAnswerWithoutThemHasNone() throws {
        var report = StatusReport(building: false, name: "", hash: "ab", buildCount: 1, lastExitCode: 0,
                                  lastBuildMs: 1, lastBuildOK: true, clients: 1, uptimeMs: 5, version: "1.2.3")
        report.pages = [PageTable.Page(id: "p1", url: "http://l/", name: "app", hash: "ab",
                                       last: .init(outcome: .applied, hash: "ab", ms: 8.5), seen: 0),
                        PageTable.Page(id: "p2", url: "http://l/b", last: .init(outcome: .failed, hash: "ab", error: "x"),
                                       seen: 0, reloadingSince: 0)]
        XCTAssertEqual(try StatusReport(json: report.json), report)
        let older = report.json.replacing(#/"pages":\[.*\],/#, with: "")
        XCTAssertFalse(older.contains("pages"), older)
        XCTAssertEqual(try StatusReport(json: older).pages, [])
    }

    func testAnAnswerThatIsNotAStatusIsRefusedNamingWhy() {
        XCTAssertThrowsError(try StatusReport(json: "<html>")) { error in
            XCTAssertTrue("\(error)".contains("invalid JSON"), "\(error)")
        }
        XCTAssertThrowsError(try StatusReport(json: #"{"state":"idle"}"#)) { error in
            XCTAssertEqual("\(error)", "no name in the answer")
        }
    }
}

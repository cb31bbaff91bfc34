import XCTest
@testable import HMRCore

final class PayloadTests: XCTestCase {
    func testBuildingNamesItsTrigger() {
        XCTAssertEqual(Payload.building(name: "", trigger: ["src/app.css"]),
                       #"{"action":"building","name":"","trigger":["src/app.css"]}"#)
    }

    func testBuildingNamesAtMostAHundredPaths() {
        let paths = (0..<150).map { "f\($0)" }
        let json = Payload.building(name: "", trigger: paths)
        XCTAssertTrue(json.contains(#""f99"]}"#), json)
        XCTAssertFalse(json.contains(#""f100""#))
    }

    func testBuiltHasEveryFieldInTheDesignedOrder() {
        let snapshot = BuildSnapshot(time: 37, hash: "9f1c2e7a3b5d4c61", warnings: [], errors: [],
                                     modules: ModuleMap(["index.html": "77aa01c3e5b2d904", "css/app.css": "4be1c0d2a9e3f718"]),
                                     changes: ModuleChanges(updated: ["css/app.css"]))
        XCTAssertEqual(Payload.built(name: "", snapshot: snapshot),
                       #"{"action":"built","name":"","time":37,"hash":"9f1c2e7a3b5d4c61","warnings":[],"errors":[],"#
                       + #""modules":{"css/app.css":"4be1c0d2a9e3f718","index.html":"77aa01c3e5b2d904"},"#
                       + #""changes":{"added":[],"removed":[],"updated":["css/app.css"]}}"#)
    }

    func testTheGraphsDifferenceComesLastAsWrittenWhenThereIsOne() {
        let graph = Array(#"{"since":"1111111111111111","modules":{},"removed":["a.js"]}"#.utf8)
        let snapshot = BuildSnapshot(time: 1, hash: "h", modules: ModuleMap(["b.js": "1"]), graph: graph)
        XCTAssertEqual(Payload.built(name: "", snapshot: snapshot),
                       #"{"action":"built","name":"","time":1,"hash":"h","warnings":[],"errors":[],"modules":{"b.js":"1"},"#
                       + #""changes":{"added":[],"removed":[],"updated":[]},"#
                       + #""graph":{"since":"1111111111111111","modules":{},"removed":["a.js"]}}"#)
    }

    func testSyncCarriesTheSameFieldsAsBuilt() {
        let snapshot = BuildSnapshot(time: 1, hash: "h", modules: ModuleMap(["a": "1"]))
        let built = Payload.built(name: "web", snapshot: snapshot)
        let sync = Payload.sync(name: "web", snapshot: snapshot)
        XCTAssertEqual(sync, built.replacingOccurrences(of: #""action":"built""#, with: #""action":"sync""#))
    }

    func testErrorTextIsEscapedAndKeepsAnsiColours() {
        let snapshot = BuildSnapshot(errors: ["\u{1B}[31mfail\u{1B}[0m \"x\"\n\tat <script>"])
        let json = Payload.built(name: "", snapshot: snapshot)
        XCTAssertTrue(json.contains(#""errors":["\u001b[31mfail\u001b[0m \"x\"\n\tat <script>"]"#), json)
    }

    func testControlCharactersAndLineSeparatorsAreEscaped() {
        XCTAssertEqual(JSONWriter.quoted("a\u{0}b\u{7F}\u{2028}\\"), #""a\u0000b\u007f\u2028\\""#)
    }

    func testStatusReportIsCompactJSON() {
        let report = StatusReport(building: false, name: "", hash: "abc", buildCount: 3, lastExitCode: 0,
                                  lastBuildMs: 37, lastBuildOK: true, clients: 2, uptimeMs: 12_345, version: "0.1.0")
        XCTAssertEqual(report.json,
                       #"{"state":"idle","name":"","hash":"abc","lastBuild":{"count":3,"exitCode":0,"ms":37,"ok":true},"#
                       + #""clients":2,"pages":[],"uptime":12.345,"version":"0.1.0"}"# + "\n")
    }

    func testStatusReportListsThePagesWithWhatTheyLastDid() {
        let failed = PageTable.LastOutcome(outcome: .failed, hash: "ab", ms: nil, error: "TypeError: x\n  at f")
        let report = StatusReport(building: false, name: "", hash: "ab", buildCount: 1, lastExitCode: 0,
                                  lastBuildMs: 1, lastBuildOK: true, clients: 1, uptimeMs: 0, version: "0.1.0",
                                  pages: [PageTable.Page(id: "p1", url: "http://l/", hash: "ab",
                                                         last: .init(outcome: .applied, hash: "ab", ms: 8.44), seen: 0),
                                          PageTable.Page(id: "p2", url: "http://l/b", name: "app", last: failed, seen: 0)])
        XCTAssertTrue(report.json.contains(#""pages":[{"id":"p1","url":"http://l/","name":null,"hash":"ab","reloading":false,"#
            + #""last":{"outcome":"applied","hash":"ab","ms":8.4,"error":null}},{"id":"p2","url":"http://l/b","#
            + #""name":"app","hash":null,"reloading":false,"last":{"outcome":"failed","hash":"ab","ms":null,"error":"TypeError: x\n  at f"}}]"#),
                      report.json)
    }

    func testStatusBeforeAnyBuildHasNulls() {
        let report = StatusReport(building: true, name: "n", hash: "", buildCount: 0, lastExitCode: nil,
                                  lastBuildMs: nil, lastBuildOK: nil, clients: 0, uptimeMs: 5, version: "v")
        XCTAssertTrue(report.json.contains(#""state":"building""#))
        XCTAssertTrue(report.json.contains(#""lastBuild":{"count":0,"exitCode":null,"ms":null,"ok":null}"#))
        XCTAssertTrue(report.json.contains(#""uptime":0.005"#))
    }
}

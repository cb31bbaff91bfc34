import XCTest
@testable import HMRCore

final class LogFormatterJSONTests: XCTestCase {
    private let json = LogFormatter(settings: LogSettings(format: .json), colorStdout: true, colorStderr: true)
    /// 2023-11-14T22:13:20.042Z
    private let time = 1_700_000_000_042

    private func line(_ event: LogEvent, _ formatter: LogFormatter? = nil) -> LogLine? {
        (formatter ?? json).line(for: event, epochMilliseconds: time)
    }

    func testListeningIsOneObjectWithTimeLevelEventFieldsAndMessage() {
        XCTAssertEqual(line(.listening(url: "http://127.0.0.1:5757", streamPath: "/__hmr")), LogLine(.stdout,
            #"{"time":"2023-11-14T22:13:20.042Z","level":"notice","event":"listening","url":"http://127.0.0.1:5757","#
            + #""stream":"/__hmr","client":"http://127.0.0.1:5757/__hmr/client.js","#
            + #""message":"listening on http://127.0.0.1:5757 — stream /__hmr, client <script src=\"http://127.0.0.1:5757/__hmr/client.js\"></script>"}"#
            + "\n"))
    }

    func testBuildingListsTheTriggerAndItsCount() {
        XCTAssertEqual(line(.building(trigger: ["src/a.css", "src/b.css"]))?.text,
            #"{"time":"2023-11-14T22:13:20.042Z","level":"info","event":"building","trigger":["src/a.css","src/b.css"],"#
            + #""triggerCount":2,"message":"building… (src/a.css, src/b.css)"}"# + "\n")
    }

    func testBuildingNamesAtMostAHundredPathsButCountsThemAll() {
        let many = (0..<250).map { "f\($0)" }
        let text = line(.building(trigger: many))!.text
        XCTAssertTrue(text.contains(#""f99"],"triggerCount":250,"#), text)
        XCTAssertFalse(text.contains(#""f100""#))
    }

    func testBuiltCarriesHashMsCountsAndClients() {
        let built = BuiltSummary(hash: "3c51f0a9d2e4b718", milliseconds: 12, added: 1, updated: 2, removed: 3, clients: 4)
        XCTAssertEqual(line(.built(built))?.text,
            #"{"time":"2023-11-14T22:13:20.042Z","level":"info","event":"built","hash":"3c51f0a9d2e4b718","ms":12,"#
            + #""added":1,"updated":2,"removed":3,"clients":4,"#
            + #""message":"built 3c51f0a9d2e4b718 in 12ms: 1 added, 2 updated, 3 removed; 4 clients told"}"# + "\n")
    }

    func testBuildFailedIsAnErrorOnStdoutWithExitCodeAndOutput() {
        let failure = BuildFailure(exitCode: 3, milliseconds: 40, reason: "build exited with code 3", clients: 0,
                                   output: "\u{1B}[31mbad\u{1B}[0m \"x\"\n")
        XCTAssertEqual(line(.buildFailed(failure)), LogLine(.stdout,
            #"{"time":"2023-11-14T22:13:20.042Z","level":"error","event":"build-failed","exitCode":3,"ms":40,"#
            + #""reason":"build exited with code 3","clients":0,"output":"\u001b[31mbad\u001b[0m \"x\"\n","#
            + #""message":"build failed in 40ms: build exited with code 3; 0 clients told"}"# + "\n"))
    }

    func testQuietJSONStillCarriesTheOutputOnce() {
        let quiet = LogFormatter(settings: LogSettings(format: .json, threshold: .notice))
        let failure = BuildFailure(exitCode: 1, milliseconds: 1, reason: "r", clients: 0, output: "xyzzy\n")
        let text = line(.buildFailed(failure), quiet)!.text
        XCTAssertTrue(text.hasPrefix("{") && text.hasSuffix("}\n"), text)
        XCTAssertEqual(text.components(separatedBy: "xyzzy").count, 2)
    }

    func testWarningsAndErrorsGoToStdoutToo() {
        XCTAssertEqual(line(.warning("watch folder src was deleted")), LogLine(.stdout,
            #"{"time":"2023-11-14T22:13:20.042Z","level":"warning","event":"warning","message":"watch folder src was deleted"}"#
            + "\n"))
        XCTAssertEqual(line(.error("e"))?.stream, .stdout)
    }

    func testStoppingAndAcceptingAgain() {
        XCTAssertEqual(line(.stopping)?.text,
            #"{"time":"2023-11-14T22:13:20.042Z","level":"info","event":"stopping","message":"stopping"}"# + "\n")
        XCTAssertTrue(line(.acceptingAgain(turnedAway: 5))!.text.contains(#""event":"accepting-again","turnedAway":5,"#))
    }

    func testVerboseEventsAreDebugLevelWithTheirFields() {
        let verbose = LogFormatter(settings: LogSettings(format: .json, threshold: .debug))
        XCTAssertNil(line(.changed(path: "a")))
        XCTAssertEqual(line(.changed(path: "src/a.css"), verbose)?.text,
            #"{"time":"2023-11-14T22:13:20.042Z","level":"debug","event":"changed","path":"src/a.css","message":"changed src/a.css"}"#
            + "\n")
        XCTAssertTrue(line(.clientConnected(page: nil, open: 1), verbose)!.text.contains(
            #""event":"client-connected","page":null,"clients":1,"#))
        XCTAssertTrue(line(.clientDisconnected(open: 0, stalled: true), verbose)!.text.contains(
            #""event":"client-disconnected","clients":0,"stalled":true,"#))
        XCTAssertTrue(line(.request(method: "GET", target: "/x", status: 404, note: "no file at /x"), verbose)!.text.contains(
            #""event":"request","method":"GET","target":"/x","status":404,"note":"no file at /x","#))
        XCTAssertTrue(line(.request(method: nil, target: nil, status: 400, note: nil), verbose)!.text.contains(
            #""method":null,"target":null,"status":400,"note":null,"#))
    }

    func testJSONNeverCarriesColoursOrRawControlCharacters() {
        let text = line(.warning("a\u{1B}[31m\nb"))!.text
        XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        XCTAssertEqual(text.filter { $0 == "\n" }.count, 1)
        XCTAssertTrue(text.hasSuffix("}\n"))
    }

    func testPagesEventsHaveTheirFields() {
        var outcome = PagesOutcome(hash: "3c51")
        outcome.applied = 2
        outcome.fastestMs = 7.64
        outcome.slowestMs = 12
        outcome.silent = 1
        XCTAssertEqual(line(.pagesOutcome(outcome))?.text,
            #"{"time":"2023-11-14T22:13:20.042Z","level":"info","event":"pages","hash":"3c51","applied":2,"#
            + #""fastestMs":7.6,"slowestMs":12,"reloaded":0,"failed":0,"unchanged":0,"silent":1,"#
            + #""message":"pages 3c51: applied on 2 pages in 8–12 ms; 1 did not answer"}"# + "\n")
        XCTAssertEqual(line(.pageError(url: "http://l/", rejection: true, message: "no", stack: "at f\nat g"))?.text,
            #"{"time":"2023-11-14T22:13:20.042Z","level":"error","event":"page-error","url":"http://l/","#
            + #""kind":"rejection","errorMessage":"no","stack":"at f\nat g","#
            + #""message":"unhandled rejection in a page: no (http://l/)\\nat f\\nat g"}"# + "\n")
    }
}

import XCTest
@testable import HMRCore

final class LogFormatterTextTests: XCTestCase {
    private let plain = LogFormatter(settings: LogSettings())
    private let colored = LogFormatter(settings: LogSettings(), colorStdout: true, colorStderr: true)
    private let time = 1_700_000_000_000

    private func line(_ event: LogEvent, _ formatter: LogFormatter? = nil) -> LogLine? {
        (formatter ?? plain).line(for: event, epochMilliseconds: time)
    }

    private let built = BuiltSummary(hash: "3c51f0a9d2e4b718", milliseconds: 12, added: 0, updated: 1, removed: 0, clients: 2)
    private let failure = BuildFailure(exitCode: 3, milliseconds: 40, reason: "build exited with code 3", clients: 1,
                                       output: "src/app.css:1: unclosed {\n")

    func testTheListeningLineHasTheURLTheStreamAndTheTagToPaste() {
        XCTAssertEqual(line(.listening(url: "http://127.0.0.1:5757", streamPath: "/__hmr")),
                       LogLine(.stdout, "[hmrd] listening on http://127.0.0.1:5757 — stream /__hmr, client "
                               + "<script src=\"http://127.0.0.1:5757/__hmr/client.js\"></script>\n"))
    }

    func testTheBuildingLineNamesUpToThreeTriggersAndCountsTheRest() {
        XCTAssertEqual(line(.building(trigger: ["src/a.css"]))?.text, "[hmrd] building… (src/a.css)\n")
        XCTAssertEqual(line(.building(trigger: ["a", "b", "c"]))?.text, "[hmrd] building… (a, b, c)\n")
        XCTAssertEqual(line(.building(trigger: ["a", "b", "c", "d", "e"]))?.text, "[hmrd] building… (a, b, c and 2 more)\n")
    }

    func testTheFirstBuildSaysSoInsteadOfATrigger() {
        XCTAssertEqual(line(.building(trigger: []))?.text, "[hmrd] building… (first build)\n")
    }

    func testTheBuiltLineHasHashDurationCountsAndClientsTold() {
        XCTAssertEqual(line(.built(built)),
                       LogLine(.stdout, "[hmrd] built 3c51f0a9d2e4b718 in 12ms: 0 added, 1 updated, 0 removed; 2 clients told\n"))
    }

    func testOneClientIsSingular() {
        var one = built
        one.clients = 1
        XCTAssertEqual(line(.built(one))?.text.hasSuffix("; 1 client told\n"), true)
    }

    func testAFailedBuildIsAnErrorOnStderrWithItsReason() {
        XCTAssertEqual(line(.buildFailed(failure)),
                       LogLine(.stderr, "[hmrd] error: build failed in 40ms: build exited with code 3; 1 client told\n"))
    }

    func testWarningsAndErrorsGoToStderrWithTheirLabel() {
        XCTAssertEqual(line(.warning("watch folder src was deleted")),
                       LogLine(.stderr, "[hmrd] warning: watch folder src was deleted\n"))
        XCTAssertEqual(line(.error("cannot listen")), LogLine(.stderr, "[hmrd] error: cannot listen\n"))
    }

    func testStoppingAndAcceptingAgainAreStatusLines() {
        XCTAssertEqual(line(.stopping), LogLine(.stdout, "[hmrd] stopping\n"))
        XCTAssertEqual(line(.acceptingAgain(turnedAway: 4)),
                       LogLine(.stdout, "[hmrd] accepting connections again (4 turned away while out of file descriptors)\n"))
    }

    func testDetailLinesAreHiddenByDefault() {
        XCTAssertNil(line(.changed(path: "src/a.css")))
        XCTAssertNil(line(.clientConnected(page: nil, open: 1)))
        XCTAssertNil(line(.request(method: "GET", target: "/", status: 200, note: nil)))
    }

    func testVerboseShowsChangesClientsAndRequests() {
        let verbose = LogFormatter(settings: LogSettings(threshold: .debug))
        XCTAssertEqual(line(.changed(path: "src/a.css"), verbose), LogLine(.stdout, "[hmrd] changed src/a.css\n"))
        XCTAssertEqual(line(.clientConnected(page: "http://localhost:5757/", open: 2), verbose)?.text,
                       "[hmrd] client connected (2 open) from http://localhost:5757/\n")
        XCTAssertEqual(line(.clientConnected(page: nil, open: 1), verbose)?.text, "[hmrd] client connected (1 open)\n")
        XCTAssertEqual(line(.clientDisconnected(open: 0, stalled: false), verbose)?.text,
                       "[hmrd] client disconnected (0 open)\n")
        XCTAssertEqual(line(.clientDisconnected(open: 3, stalled: true), verbose)?.text,
                       "[hmrd] client disconnected (3 open): dropped, it stopped reading\n")
        XCTAssertEqual(line(.request(method: "GET", target: "/css/app.css?v=1", status: 200, note: nil), verbose)?.text,
                       "[hmrd] GET /css/app.css?v=1 200\n")
        XCTAssertEqual(line(.request(method: "GET", target: "/", status: 403, note: "host evil is not allowed"), verbose)?.text,
                       "[hmrd] GET / 403 (host evil is not allowed)\n")
        XCTAssertEqual(line(.request(method: nil, target: nil, status: 400, note: "bad request line"), verbose)?.text,
                       "[hmrd] unreadable request 400 (bad request line)\n")
    }

    func testQuietKeepsTheListeningLineWarningsAndErrors() {
        let quiet = LogFormatter(settings: LogSettings(threshold: .notice))
        XCTAssertEqual(line(.listening(url: "http://127.0.0.1:1", streamPath: "/__hmr"), quiet)?.stream, .stdout)
        XCTAssertNil(line(.building(trigger: ["a"]), quiet))
        XCTAssertNil(line(.built(built), quiet))
        XCTAssertNil(line(.stopping, quiet))
        XCTAssertNotNil(line(.warning("w"), quiet))
        XCTAssertNotNil(line(.error("e"), quiet))
    }

    func testQuietShowsTheHeldBackOutputBeforeTheFailure() {
        let quiet = LogFormatter(settings: LogSettings(threshold: .notice))
        XCTAssertEqual(line(.buildFailed(failure), quiet),
                       LogLine(.stderr, "src/app.css:1: unclosed {\n"
                               + "[hmrd] error: build failed in 40ms: build exited with code 3; 1 client told\n"))
    }

    func testHeldOutputPassesUnchangedAndGetsAFinalNewline() {
        let quiet = LogFormatter(settings: LogSettings(threshold: .notice))
        var colourful = failure
        colourful.output = "\u{1B}[31merror\u{1B}[0m"
        XCTAssertEqual(line(.buildFailed(colourful), quiet)?.text,
                       "\u{1B}[31merror\u{1B}[0m\n[hmrd] error: build failed in 40ms: build exited with code 3; 1 client told\n")
    }

    func testOutputAlreadyEchoedLiveIsNotRepeated() {
        XCTAssertFalse(line(.buildFailed(failure))!.text.contains("unclosed"))
    }

    func testColoursPaintTheLabelsAndKeepTheWords() {
        let esc = "\u{1B}["
        XCTAssertEqual(line(.built(built), colored)?.text,
                       "\(esc)2m[hmrd]\(esc)0m \(esc)1;32mbuilt\(esc)0m 3c51f0a9d2e4b718 in 12ms: 0 added, 1 updated, 0 removed; 2 clients told\n")
        XCTAssertEqual(line(.buildFailed(failure), colored)?.text,
                       "\(esc)2m[hmrd]\(esc)0m \(esc)1;31merror:\(esc)0m \(esc)1;31mbuild failed\(esc)0m in 40ms: build exited with code 3; 1 client told\n")
        XCTAssertEqual(line(.warning("w"), colored)?.text, "\(esc)2m[hmrd]\(esc)0m \(esc)1;33mwarning:\(esc)0m w\n")
        XCTAssertEqual(line(.building(trigger: ["a"]), colored)?.text, "\(esc)2m[hmrd]\(esc)0m \(esc)36mbuilding…\(esc)0m (a)\n")
    }

    func testTheColouredListeningLineKeepsListeningOnAndTheURLTogether() {
        XCTAssertEqual(line(.listening(url: "http://127.0.0.1:5757", streamPath: "/__hmr"), colored)?.text,
                       "\u{1B}[2m[hmrd]\u{1B}[0m \u{1B}[1;36mlistening on http://127.0.0.1:5757\u{1B}[0m — stream /__hmr, "
                       + "client <script src=\"http://127.0.0.1:5757/__hmr/client.js\"></script>\n")
    }

    func testColoursAreDecidedPerStream() {
        let stdoutOnly = LogFormatter(settings: LogSettings(), colorStdout: true, colorStderr: false)
        XCTAssertTrue(line(.built(built), stdoutOnly)!.text.contains("\u{1B}"))
        XCTAssertEqual(line(.warning("w"), stdoutOnly)?.text, "[hmrd] warning: w\n")
        let stderrOnly = LogFormatter(settings: LogSettings(), colorStdout: false, colorStderr: true)
        XCTAssertFalse(line(.built(built), stderrOnly)!.text.contains("\u{1B}"))
        XCTAssertTrue(line(.warning("w"), stderrOnly)!.text.contains("\u{1B}"))
    }

    func testWithoutTheEscapesAColouredLineIsThePlainLine() {
        let verbose = LogSettings(threshold: .debug)
        let events: [LogEvent] = [
            .listening(url: "http://[::1]:80", streamPath: "/hot"), .building(trigger: ["a", "b", "c", "d"]),
            .building(trigger: []), .built(built), .buildFailed(failure), .warning("w"), .error("e"), .stopping,
            .acceptingAgain(turnedAway: 1), .changed(path: "x"), .clientConnected(page: "p", open: 1),
            .clientDisconnected(open: 0, stalled: true), .request(method: "HEAD", target: "/", status: 301, note: "to /x/"),
        ]
        let on = LogFormatter(settings: verbose, colorStdout: true, colorStderr: true)
        let off = LogFormatter(settings: verbose)
        for event in events {
            let painted = on.line(for: event, epochMilliseconds: time)!.text
            let stripped = painted.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
            XCTAssertEqual(stripped, off.line(for: event, epochMilliseconds: time)!.text, "\(event)")
        }
    }

    func testControlCharactersInPathsAndTargetsCannotReachTheTerminal() {
        let verbose = LogFormatter(settings: LogSettings(threshold: .debug), colorStdout: true)
        XCTAssertEqual(line(.changed(path: "evil\u{1B}]0;owned\u{07}.css"))?.text, nil)
        let text = line(.changed(path: "evil\u{1B}]0;owned\u{07}\n.css"), verbose)!.text
        XCTAssertTrue(text.contains("evil\\x1B]0;owned\\x07\\n.css"), text)
        XCTAssertEqual(text.filter { $0 == "\n" }.count, 1)
        XCTAssertEqual(line(.building(trigger: ["a\u{9B}b"]))?.text, "[hmrd] building… (a\\x9Bb)\n")
    }

    func testPagesLinesSayWhatEveryPageDidAndCarryNoEscapes() {
        var outcome = PagesOutcome(hash: "3c51")
        outcome.applied = 3
        outcome.fastestMs = 7.6
        outcome.slowestMs = 12.2
        outcome.reloaded = 1
        XCTAssertEqual(line(.pagesOutcome(outcome)),
                       LogLine(.stdout, "[hmrd] pages 3c51: applied on 3 pages in 8–12 ms; 1 reloaded\n"))
        XCTAssertEqual(line(.pageError(url: "http://l/\u{1B}[2J", rejection: false, message: "boom",
                                       stack: "Error: boom\n    at f (a.js:1:2)\n\tat \u{1B}]0;x\u{07}g")),
                       LogLine(.stderr, "[hmrd] error: uncaught error in a page: boom (http://l/\\x1B[2J)\n"
                               + "    at f (a.js:1:2)\n    at \\x1B]0;x\\x07g\n"))
        XCTAssertEqual(line(.pageFailed(url: "http://l/", hash: "3c51", error: "TypeError: x\n  at h"))?.text,
                       "[hmrd] error: a page could not apply 3c51: TypeError: x (http://l/)\n    at h\n")
        XCTAssertEqual(line(.pageError(url: "u", rejection: true, message: "no", stack: nil))?.text,
                       "[hmrd] error: unhandled rejection in a page: no (u)\n")
        XCTAssertEqual(line(.reportsDropped(url: "http://l/", count: 37))?.text,
                       "[hmrd] warning: dropped 37 reports of http://l/: more than 10 a second (answered 429)\n")
        let long = (1...20).map { "at f\($0)" }.joined(separator: "\n")
        let text = line(.pageError(url: "u", rejection: false, message: "m", stack: long))!.text
        XCTAssertTrue(text.hasSuffix("    at f12\n    … 8 more\n"), text)
    }
}

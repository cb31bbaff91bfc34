import XCTest
@testable import HMRCore

final class BuildPublicationTests: XCTestCase {
    private let context = BuildPublication.Context(name: "app", hasCommand: true, clients: 3)
    private func report(_ outcome: BuildOutcome = .exited(0), time: Int = 37) -> BuildReport {
        BuildReport(outcome: outcome, time: time, trigger: ["src/app.css"])
    }

    func testAGoodBuildPublishesItsMapWithTheChangesAgainstTheLastAndLogsOneLine() {
        let before = BuildSnapshot(hash: "old", modules: ModuleMap(["app.css": "00000000000000aa", "gone.js": "00000000000000bb"]))
        let modules = ModuleMap(["app.css": "00000000000000cc", "new.js": "00000000000000dd"])
        let p = BuildPublication.succeeded(report(), modules: modules, missingRoots: [], previous: before, context: context)
        XCTAssertEqual(p.snapshot.hash, modules.buildHash)
        XCTAssertEqual(p.snapshot.changes, ModuleChanges(added: ["new.js"], removed: ["gone.js"], updated: ["app.css"]))
        XCTAssertEqual(p.payload, #"{"action":"built","name":"app","time":37,"hash":"\#(modules.buildHash)","warnings":[],"errors":[],"#
            + #""modules":{"app.css":"00000000000000cc","new.js":"00000000000000dd"},"#
            + #""changes":{"added":["new.js"],"removed":["gone.js"],"updated":["app.css"]}}"#)
        XCTAssertEqual(p.events, [.built(BuiltSummary(hash: modules.buildHash, milliseconds: 37, added: 1, updated: 1,
                                                      removed: 1, clients: 3))])
    }

    func testAMissingOutputFolderIsAWarningInThePayloadAndOnTheTerminalBeforeTheBuiltLine() {
        var withLoop = context
        withLoop.standingWarnings = ["loop"]
        let p = BuildPublication.succeeded(report(), modules: ModuleMap(), missingRoots: ["/p/dist"],
                                           previous: BuildSnapshot(), context: withLoop)
        XCTAssertEqual(p.snapshot.warnings, ["loop", "the output folder /p/dist does not exist after the build"])
        XCTAssertEqual(p.events.dropLast(), [.warning("loop"), .warning("the output folder /p/dist does not exist after the build")])
        var watchOnly = context
        watchOnly.hasCommand = false
        let q = BuildPublication.succeeded(report(), modules: ModuleMap(), missingRoots: ["/p/out"],
                                           previous: BuildSnapshot(), context: watchOnly)
        XCTAssertEqual(q.snapshot.warnings, ["the output folder /p/out does not exist"])
    }

    func testAFailedBuildKeepsTheLastGoodMapAndCarriesItsOutputAndReason() {
        let before = BuildSnapshot(time: 5, hash: "good", modules: ModuleMap(["a.css": "00000000000000aa"]),
                                   changes: ModuleChanges(updated: ["a.css"]))
        let p = BuildPublication.failed(report(.exited(2), time: 12), outputTail: "a.css:1: oops", previous: before,
                                        context: context)
        XCTAssertEqual(p.snapshot.hash, "good")
        XCTAssertEqual(p.snapshot.modules, before.modules)
        XCTAssertEqual(p.snapshot.changes, ModuleChanges())
        XCTAssertEqual(p.snapshot.time, 12)
        XCTAssertEqual(p.snapshot.errors, ["a.css:1: oops\nbuild exited with code 2"])
        XCTAssertEqual(p.events, [.buildFailed(BuildFailure(exitCode: 2, milliseconds: 12, reason: "build exited with code 2",
                                                           clients: 3, output: "a.css:1: oops"))])
    }

    func testTheGraphsDifferenceRidesInAGoodBuildAndNotInTheFailureAfterIt() {
        let graph = Array(#"{"since":"old","modules":{},"removed":["gone.js"]}"#.utf8)
        let good = BuildPublication.succeeded(report(), modules: ModuleMap(["a.js": "00000000000000aa"]), missingRoots: [],
                                              previous: BuildSnapshot(hash: "old"), graph: graph, context: context)
        XCTAssertEqual(good.snapshot.graph, graph)
        XCTAssertTrue(good.payload.hasSuffix(#","graph":{"since":"old","modules":{},"removed":["gone.js"]}}"#), good.payload)
        let failed = BuildPublication.failed(report(.exited(1)), outputTail: "", previous: good.snapshot, context: context)
        XCTAssertNil(failed.snapshot.graph)
        XCTAssertFalse(failed.payload.contains(#""graph""#))
    }

    func testAFailureWithoutOutputIsItsReasonAlone() {
        let p = BuildPublication.failed(report(.failedToStart("no /bin/sh")), outputTail: "", previous: BuildSnapshot(),
                                        context: context)
        XCTAssertEqual(p.snapshot.errors, ["build did not start: no /bin/sh"])
    }

    func testExitCodesAreAShellsOnes() {
        let table: [(BuildOutcome, Int, String)] = [
            (.exited(3), 3, "build exited with code 3"),
            (.signaled(9), 137, "build was killed by signal 9"),
            (.timedOut(after: 2_000), 124, "build timed out after 2s and was stopped (--build-timeout)"),
            (.failedToStart("x"), 127, "build did not start: x"),
        ]
        for (outcome, code, reason) in table {
            XCTAssertEqual(outcome.exitCode, code, "\(outcome)")
            XCTAssertEqual(outcome.reason, reason)
        }
    }

    func testTheBuildLoopWarningNamesThePathsAndBothFixes() {
        let warning = BuildPublication.buildLoopWarning(paths: ["src/stamp.txt"])
        XCTAssertTrue(warning.contains("src/stamp.txt") && warning.contains("--out") && warning.contains("--ignore"), warning)
    }
}

import XCTest
@testable import HMRCore

final class BuildWaiterTests: XCTestCase {
    private let good = BuildSnapshot(time: 12, hash: "3c51f0a9d2e4b718",
                                     changes: ModuleChanges(added: ["a"], removed: [], updated: ["b", "c"]))
    private var sync: String { Payload.sync(name: "", snapshot: good) }
    private var built: String { Payload.built(name: "", snapshot: good) }
    private var failed: String {
        var s = good
        s.time = 40
        s.errors = ["src/app.css:1: unclosed {\nbuild exited with code 3"]
        s.changes = ModuleChanges()
        return Payload.built(name: "", snapshot: s)
    }

    func testTheFirstBuiltAfterSyncIsTheResult() {
        var waiter = BuildWaiter()
        XCTAssertNil(waiter.handle(data: sync))
        let result = waiter.handle(data: built)
        XCTAssertEqual(result, FinishedBuild(hash: "3c51f0a9d2e4b718", milliseconds: 12, added: 1, updated: 2, removed: 0,
                                             errors: []))
        XCTAssertEqual(result?.succeeded, true)
        XCTAssertEqual(result?.summary, "built 3c51f0a9d2e4b718 in 12ms: 1 added, 2 updated, 0 removed")
    }

    func testABuildRunningAtConnectIsTheOneWaitedFor() {
        var waiter = BuildWaiter()
        XCTAssertNil(waiter.handle(data: sync))
        XCTAssertNil(waiter.handle(data: Payload.building(name: "", trigger: ["src/app.css"])))
        XCTAssertTrue(waiter.sawBuilding)
        XCTAssertEqual(waiter.handle(data: failed)?.succeeded, false)
    }

    func testAFailureCarriesTheOutputAndReason() {
        var waiter = BuildWaiter()
        _ = waiter.handle(data: sync)
        let result = waiter.handle(data: failed)
        XCTAssertEqual(result?.milliseconds, 40)
        XCTAssertEqual(result?.failureText, "src/app.css:1: unclosed {\nbuild exited with code 3\n")
    }

    func testHeartbeatsUnknownActionsAndNonJSONAreSkipped() {
        var waiter = BuildWaiter()
        XCTAssertNil(waiter.handle(data: "💓"))
        XCTAssertNil(waiter.handle(data: sync))
        XCTAssertNil(waiter.handle(data: #"{"action":"custom","x":1}"#))
        XCTAssertNil(waiter.handle(data: "💓"))
        XCTAssertNotNil(waiter.handle(data: built))
    }

    func testNothingBeforeSyncCountsAndNothingAfterTheResult() {
        var waiter = BuildWaiter()
        XCTAssertNil(waiter.handle(data: built))
        _ = waiter.handle(data: sync)
        XCTAssertNotNil(waiter.handle(data: built))
        XCTAssertNil(waiter.handle(data: failed))
        XCTAssertEqual(waiter.result?.succeeded, true)
    }
}

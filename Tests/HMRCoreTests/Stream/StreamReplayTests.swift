import XCTest
@testable import HMRCore

/// Frames are strings here; `sync` is made by a counting encoder that names the id and the
/// state it was made from, so a stale or re-encoded `sync` shows in the frames themselves.
final class StreamReplayTests: XCTestCase {
    private var replay = StreamReplay<String>(capacity: 4, baseID: 100)
    private var state = "s0"
    private var encodings = 0

    /// The frames a joining client is sent, in order; a replay is marked so it cannot pass for a sync.
    private func join(after lastEventID: String? = nil) -> [String] {
        let greeting = replay.greeting(joiningAfter: lastEventID) { id in
            encodings += 1
            return "sync@\(id):\(state)"
        }
        switch greeting {
        case .replay(let missed): return missed.map { "replay " + $0 }
        case .sync(let sync, let then): return [sync] + then
        }
    }

    @discardableResult
    private func broadcast(_ name: String, isState: Bool) -> UInt64 {
        replay.record(isState: isState) { "\(name)@\($0)" }
    }

    /// A build as the daemon publishes one: `building`, then the new state, then `built`.
    private func build(to newState: String) {
        broadcast("building", isState: false)
        state = newState
        replay.stateChanged()
        broadcast("built", isState: true)
    }

    func testBeforeAnyBuildSyncCarriesTheBaseID() {
        XCTAssertEqual(join(), ["sync@100:s0"])
    }

    func testSyncIsEncodedOnceForEveryClientJoiningTheSameState() {
        build(to: "s1")
        for _ in 0..<5 { XCTAssertEqual(join(), ["sync@102:s1"]) }
        XCTAssertEqual(encodings, 1)
    }

    func testAStateFrameGivesTheNextJoinerAFreshSyncWithTheBuiltsID() {
        build(to: "s1")
        XCTAssertEqual(join(), ["sync@102:s1"])
        // The state moves on without the owner saying so: the state frame alone drops the old sync.
        state = "s2"
        broadcast("building", isState: false)
        broadcast("built", isState: true)
        XCTAssertEqual(join(), ["sync@104:s2"])
        XCTAssertEqual(encodings, 2)
    }

    func testAStateChangeWithoutAFrameDropsTheEncodedSync() {
        build(to: "s1")
        XCTAssertEqual(join(), ["sync@102:s1"])
        state = "s1+warning"
        replay.stateChanged()
        XCTAssertEqual(join(), ["sync@102:s1+warning"])
    }

    func testAClientJoiningDuringABuildGetsTheCachedSyncThenBuilding() {
        build(to: "s1")
        XCTAssertEqual(join(), ["sync@102:s1"])
        broadcast("building", isState: false)
        XCTAssertEqual(join(), ["sync@102:s1", "building@103"])
        XCTAssertEqual(join(), ["sync@102:s1", "building@103"])
        XCTAssertEqual(encodings, 1, "a `building` frame does not change what sync says")
    }

    func testTheBuildingFrameLeavesTheStreamWhenItsBuiltArrives() {
        build(to: "s1")
        broadcast("building", isState: false)
        XCTAssertEqual(join(), ["sync@102:s1", "building@103"])
        state = "s2"
        replay.stateChanged()
        broadcast("built", isState: true)
        XCTAssertEqual(join(), ["sync@104:s2"])
    }

    func testAResumableIDGetsTheMissedFramesAndNoSync() {
        build(to: "s1")
        XCTAssertEqual(join(), ["sync@102:s1"])
        build(to: "s2")
        XCTAssertEqual(join(after: "102"), ["replay building@103", "replay built@104"])
        XCTAssertEqual(join(after: "104"), [])
        XCTAssertEqual(encodings, 1)
    }

    /// A tab taking over another's stream opens a new EventSource, which cannot set the header.
    func testAStreamResumingFromTheQueryIsGreetedExactlyAsFromTheHeader() {
        build(to: "s1")
        XCTAssertEqual(join(), ["sync@102:s1"])
        build(to: "s2")
        broadcast("building", isState: false)
        let byQuery = StreamResumePoint.lastEventID(header: nil, query: "lastEventId=102")
        let byHeader = StreamResumePoint.lastEventID(header: "102", query: nil)
        XCTAssertEqual(join(after: byQuery), ["replay building@103", "replay built@104", "replay building@105"])
        XCTAssertEqual(join(after: byQuery), join(after: byHeader))
        let tooOld = StreamResumePoint.lastEventID(header: nil, query: "lastEventId=100")
        XCTAssertEqual(join(after: tooOld), ["sync@104:s2", "building@105"])
    }

    func testAnUnknownOrTooOldIDGetsTheCurrentSync() {
        for round in 1...3 { build(to: "s\(round)") }
        XCTAssertEqual(join(after: "101"), ["sync@106:s3"], "older than the 4 frames kept")
        XCTAssertEqual(join(after: "garbage"), ["sync@106:s3"])
        XCTAssertEqual(join(after: "999"), ["sync@106:s3"])
        XCTAssertEqual(encodings, 1)
    }

    func testAStreamBehindIsHandedTheFramesAfterItsIDOrNothingOnceTheyAreGone() {
        build(to: "s1")
        build(to: "s2")
        XCTAssertEqual(replay.frames(after: 102), ["building@103", "built@104"])
        XCTAssertEqual(replay.frames(after: 104), [])
        build(to: "s3")
        XCTAssertNil(replay.frames(after: 100), "older than the 4 frames kept")
    }

    func testAFailedBuildIsAStateToo() {
        build(to: "s1")
        XCTAssertEqual(join(), ["sync@102:s1"])
        build(to: "s1+errors")
        XCTAssertEqual(join(), ["sync@104:s1+errors"])
    }

    func testFramesNotKeptAreNumberedAfterTheKeptFrameBeforeThem() {
        var replay = StreamReplay<String>(capacity: 4, baseID: 100)
        XCTAssertEqual(replay.unkeptID(), "100.1")
        XCTAssertEqual(replay.unkeptID(), "100.2")
        _ = replay.record(isState: false) { "f\($0)" }
        XCTAssertEqual(replay.unkeptID(), "101.1")
        XCTAssertEqual(replay.frames(after: 100), ["f101"], "not kept: never replayed")
    }
}

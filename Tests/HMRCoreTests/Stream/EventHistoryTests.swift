import XCTest
@testable import HMRCore

final class EventHistoryTests: XCTestCase {
    private func history(frames: Int, capacity: Int = 4) -> EventHistory<String> {
        var h = EventHistory<String>(capacity: capacity, baseID: 100)
        for _ in 0..<frames { _ = h.append { "f\($0)" } }
        return h
    }

    private func replayed(_ r: EventHistory<String>.Resume) -> [String]? {
        if case .replay(let frames) = r { return frames }
        return nil
    }

    func testIdsIncreaseFromTheBase() {
        var h = EventHistory<String>(capacity: 2, baseID: 100)
        XCTAssertEqual(h.append { "\($0)" }, 101)
        XCTAssertEqual(h.append { "\($0)" }, 102)
        XCTAssertEqual(h.lastID, 102)
    }

    func testResumeReplaysEverythingAfterTheGivenID() {
        XCTAssertEqual(replayed(history(frames: 3).resume(after: "101")), ["f102", "f103"])
    }

    func testResumeFromTheLatestIDReplaysNothing() {
        XCTAssertEqual(replayed(history(frames: 3).resume(after: "103")), [])
    }

    func testResumeWorksAcrossTheRingsWrap() {
        XCTAssertEqual(replayed(history(frames: 7).resume(after: "104")), ["f105", "f106", "f107"])
    }

    func testAnIDOlderThanTheRingNeedsSync() {
        guard case .resync = history(frames: 7).resume(after: "102") else { return XCTFail("expected resync") }
    }

    func testAnIDFromTheFutureOrGarbageNeedsSync() {
        let h = history(frames: 3)
        for text in ["999", "abc", "", "-1", nil] as [String?] {
            guard case .resync = h.resume(after: text) else { return XCTFail("expected resync for \(String(describing: text))") }
        }
    }

    func testTheBaseIDBeforeAnyFrameResumesToNothing() {
        XCTAssertEqual(replayed(history(frames: 0).resume(after: "100")), [])
    }
}

import XCTest
@testable import HMRCore

final class ClientWriteStateTests: XCTestCase {
    func testAClientIsKeptUpToTheHighWaterMarkAndDroppedPastIt() {
        var state = ClientWriteState(highWater: 100)
        XCTAssertTrue(state.canWriteDirectly)
        XCTAssertEqual(state.queued(60), .keep)
        XCTAssertFalse(state.canWriteDirectly)
        XCTAssertEqual(state.queued(40), .keep)
        XCTAssertEqual(state.queued(1), .drop)
    }

    func testDrainedBytesMakeRoomAgain() {
        var state = ClientWriteState(highWater: 100)
        _ = state.queued(90)
        state.drained(90)
        XCTAssertTrue(state.canWriteDirectly)
        XCTAssertEqual(state.queued(100), .keep)
    }
}

import XCTest
@testable import HMRCore

/// A connection's life driven with a fake clock: every number is a millisecond.
final class ConnectionLifecycleTests: XCTestCase {
    private let limit = ConnectionLifecycle.idleLimit

    private func opened(at now: Int = 0) -> ConnectionLifecycle {
        var c = ConnectionLifecycle()
        XCTAssertEqual(c.handle(.opened, now: now), [.watchDeadline(now + limit), .startReading])
        return c
    }

    func testAnOpenedConnectionReadsHeadsUntilItsDeadline() {
        var c = opened()
        XCTAssertTrue(c.readsHeads)
        XCTAssertEqual(c.handle(.deadlineCame, now: limit - 1), [])
        XCTAssertEqual(c.handle(.deadlineCame, now: limit), [.close])
        XCTAssertTrue(c.isClosed)
        XCTAssertEqual(c.handle(.failed, now: limit), [], "closed once")
    }

    func testABodyIsReadByItsOwnDeadlineThenTheNextHead() {
        var c = opened()
        XCTAssertEqual(c.handle(.bodyExpected, now: 2_000), [.watchDeadline(2_000 + limit)])
        XCTAssertTrue(c.readsBody)
        XCTAssertFalse(c.readsHeads)
        XCTAssertFalse(c.keepsInput, "the bytes are the body's, read as they come")
        XCTAssertEqual(c.handle(.answered(keepAlive: true), now: 3_000), [.watchDeadline(3_000 + limit)],
                       "still reading: nothing to start or replay")
        XCTAssertTrue(c.readsHeads)
    }

    func testABodyTooSlowIsClosedAtItsDeadline() {
        var c = opened()
        _ = c.handle(.bodyExpected, now: 2_000)
        XCTAssertEqual(c.handle(.deadlineCame, now: limit), [], "the head's deadline no longer stands")
        XCTAssertEqual(c.handle(.deadlineCame, now: 2_000 + limit), [.close])
    }

    func testAKeptAliveAnswerMovesTheDeadlineSoAnOldOneDoesNotClose() {
        var c = opened()
        XCTAssertEqual(c.handle(.answered(keepAlive: true), now: 4_000), [.watchDeadline(4_000 + limit)])
        XCTAssertEqual(c.handle(.deadlineCame, now: limit), [], "the first deadline no longer stands")
        XCTAssertEqual(c.handle(.deadlineCame, now: 4_000 + limit), [.close])
    }

    func testAnAnswerThatEndsTheConnectionStopsReadingAndShutsDown() {
        var c = opened()
        XCTAssertEqual(c.handle(.answered(keepAlive: false), now: 5), [.stopReading, .shutdown])
        XCTAssertEqual(c.phase, .finishing)
        XCTAssertEqual(c.handle(.finish, now: 6), [], "finishing once")
        XCTAssertEqual(c.handle(.deadlineCame, now: limit + 10), [], "a finishing connection has no deadline")
    }

    func testAHeldRequestKeepsWhatComesBehindItAndReplaysItAfterItsAnswer() {
        var c = opened()
        XCTAssertEqual(c.handle(.held, now: 10), [.stopReading])
        XCTAssertTrue(c.keepsInput)
        XCTAssertEqual(c.handle(.deadlineCame, now: limit + 1), [], "a held request waits for its build, not the head's deadline")
        XCTAssertEqual(c.handle(.released, now: 20_000), [])
        XCTAssertEqual(c.handle(.answered(keepAlive: true), now: 20_000),
                       [.watchDeadline(20_000 + limit), .startReading, .replayKeptInput])
        XCTAssertTrue(c.readsHeads)
    }

    func testAFileBodyStopsReadingAndEachChunkHasItsOwnDeadline() {
        var c = opened()
        XCTAssertEqual(c.handle(.bodyStarted, now: 100), [.stopReading, .watchDeadline(100 + limit)])
        XCTAssertEqual(c.handle(.chunkLeft, now: 9_000), [.watchDeadline(9_000 + limit)])
        XCTAssertEqual(c.handle(.deadlineCame, now: 100 + limit), [])
        XCTAssertEqual(c.handle(.answered(keepAlive: true), now: 9_500),
                       [.watchDeadline(9_500 + limit), .startReading, .replayKeptInput])
    }

    func testAReaderThatStopsTakingTheBodyIsLetGo() {
        var c = opened()
        _ = c.handle(.bodyStarted, now: 0)
        XCTAssertEqual(c.handle(.deadlineCame, now: limit), [.close])
    }

    func testAStreamHasNoDeadlineAndReadsNoHeads() {
        var c = opened()
        XCTAssertEqual(c.handle(.becameStream, now: 1), [])
        XCTAssertFalse(c.readsHeads)
        XCTAssertFalse(c.keepsInput)
        XCTAssertEqual(c.handle(.deadlineCame, now: limit * 3), [])
        XCTAssertEqual(c.handle(.finish, now: limit * 3), [.stopReading, .shutdown])
    }

    func testAFailureClosesFromAnyPhase() {
        for setUp: [ConnectionLifecycle.Event] in [[], [.held], [.bodyStarted], [.becameStream], [.finish]] {
            var c = opened()
            for event in setUp { _ = c.handle(event, now: 1) }
            XCTAssertEqual(c.handle(.failed, now: 2), [.close], "\(setUp)")
        }
    }
}

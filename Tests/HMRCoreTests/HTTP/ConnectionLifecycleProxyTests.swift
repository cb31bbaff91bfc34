// A connection whose request went to the --proxy backend: read on (its body, then
// what comes behind it, kept), paused and resumed for backpressure, no deadline,
// and a tunnel after an upgrade.

import XCTest
@testable import HMRCore

final class ConnectionLifecycleProxyTests: XCTestCase {
    private let limit = ConnectionLifecycle.idleLimit

    private func proxying(at now: Int = 0) -> ConnectionLifecycle {
        var c = ConnectionLifecycle()
        _ = c.handle(.opened, now: now)
        XCTAssertEqual(c.handle(.proxyStarted, now: now), [])
        return c
    }

    func testAProxiedRequestKeepsReadingWithoutADeadline() {
        var c = proxying()
        XCTAssertEqual(c.phase, .proxying)
        XCTAssertTrue(c.keepsInput)
        XCTAssertFalse(c.readsHeads)
        XCTAssertEqual(c.handle(.deadlineCame, now: 10 * limit), [], "a slow backend is not the browser's fault")
        XCTAssertFalse(c.isClosed)
    }

    func testTheAnswerEndingReadsTheNextHeadAndReplaysWhatCameMeanwhile() {
        var c = proxying()
        XCTAssertEqual(c.handle(.answered(keepAlive: true), now: 500), [.watchDeadline(500 + limit), .replayKeptInput])
        XCTAssertTrue(c.readsHeads)
    }

    func testAPausedConnectionStartsReadingAgainWhenAnswered() {
        var c = proxying()
        XCTAssertEqual(c.handle(.inputPaused, now: 1), [.stopReading])
        XCTAssertEqual(c.handle(.inputPaused, now: 1), [])
        XCTAssertEqual(c.handle(.answered(keepAlive: true), now: 2),
                       [.watchDeadline(2 + limit), .startReading, .replayKeptInput])
    }

    func testBackpressureStopsAndStartsReading() {
        var c = proxying()
        XCTAssertEqual(c.handle(.inputPaused, now: 1), [.stopReading])
        XCTAssertEqual(c.handle(.inputResumed, now: 2), [.startReading])
        XCTAssertEqual(c.handle(.inputResumed, now: 3), [])
    }

    func testAnAnswerThatClosesFinishes() {
        var c = proxying()
        XCTAssertEqual(c.handle(.answered(keepAlive: false), now: 1), [.stopReading, .shutdown])
        XCTAssertEqual(c.phase, .finishing)
    }

    func testATunnelPassesEverythingAndHasNoDeadline() {
        var c = proxying()
        XCTAssertEqual(c.handle(.becameTunnel, now: 1), [])
        XCTAssertEqual(c.phase, .tunnel)
        XCTAssertFalse(c.keepsInput)
        XCTAssertEqual(c.handle(.deadlineCame, now: 10 * limit), [])
        XCTAssertEqual(c.handle(.inputPaused, now: 2), [.stopReading])
        XCTAssertEqual(c.handle(.finish, now: 3), [.shutdown])
    }

    func testPausingOutsideAnExchangeDoesNothing() {
        var c = ConnectionLifecycle()
        _ = c.handle(.opened, now: 0)
        XCTAssertEqual(c.handle(.inputPaused, now: 1), [])
        XCTAssertTrue(c.readsHeads)
    }
}

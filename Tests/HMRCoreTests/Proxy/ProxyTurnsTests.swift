// What the end of the backend's connection means, and when a body is spliced.

import XCTest
@testable import HMRCore

final class ProxyTurnsTests: XCTestCase {
    func testAnEndBeforeTheHeadIsARetryOnlyForAQuietReusedConnectionAndABodilessRequest() {
        XCTAssertEqual(ProxyTurns.backendEnded(answer: nil, reusedConnection: true, receivedAny: false, requestBody: .none),
                       .retry)
        XCTAssertEqual(ProxyTurns.backendEnded(answer: nil, reusedConnection: true, receivedAny: false,
                                               requestBody: .length(0)), .retry)
        let refused = ProxyTurns.BackendEnd.badGateway("it closed the connection without answering")
        XCTAssertEqual(ProxyTurns.backendEnded(answer: nil, reusedConnection: false, receivedAny: false,
                                               requestBody: .none), refused, "a new connection that closes is an answer")
        XCTAssertEqual(ProxyTurns.backendEnded(answer: nil, reusedConnection: true, receivedAny: true,
                                               requestBody: .none), refused, "half a head is not a stale connection")
        XCTAssertEqual(ProxyTurns.backendEnded(answer: nil, reusedConnection: true, receivedAny: false,
                                               requestBody: .length(5)), refused, "a body cannot be sent twice")
    }

    func testAnEndAfterTheHeadFinishesAClosedelimitedBodyAndCutsAnyOther() {
        XCTAssertEqual(ProxyTurns.backendEnded(answer: .untilClose, reusedConnection: false, receivedAny: true,
                                               requestBody: .none), .finish)
        for framing in [MessageBodyFraming.length(10), .chunked] {
            XCTAssertEqual(ProxyTurns.backendEnded(answer: framing, reusedConnection: true, receivedAny: true,
                                                   requestBody: .none),
                           .cut("it closed the connection in the middle of its answer"))
        }
    }

    func testOnlyALongQuietPassedOnBodyIsSpliced() {
        let long = ProxyTurns.spliceAbove + 1
        XCTAssertTrue(ProxyTurns.splices(output: .raw, remaining: long, requestBodySent: true, queuedToBrowser: 0,
                                         queuedToBackend: 0))
        XCTAssertFalse(ProxyTurns.splices(output: .raw, remaining: ProxyTurns.spliceAbove, requestBodySent: true,
                                          queuedToBrowser: 0, queuedToBackend: 0))
        XCTAssertFalse(ProxyTurns.splices(output: .raw, remaining: nil, requestBodySent: true, queuedToBrowser: 0,
                                          queuedToBackend: 0), "a chunked body's length is not known")
        XCTAssertFalse(ProxyTurns.splices(output: .content, remaining: long, requestBodySent: true, queuedToBrowser: 0,
                                          queuedToBackend: 0), "HTML given the tag is read")
        XCTAssertFalse(ProxyTurns.splices(output: .raw, remaining: long, requestBodySent: false, queuedToBrowser: 0,
                                          queuedToBackend: 0))
        XCTAssertFalse(ProxyTurns.splices(output: .raw, remaining: long, requestBodySent: true, queuedToBrowser: 1,
                                          queuedToBackend: 0))
        XCTAssertFalse(ProxyTurns.splices(output: .raw, remaining: long, requestBodySent: true, queuedToBrowser: 0,
                                          queuedToBackend: 1))
    }
}

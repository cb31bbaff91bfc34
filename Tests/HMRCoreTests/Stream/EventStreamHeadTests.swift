import XCTest
@testable import HMRCore

final class EventStreamHeadTests: XCTestCase {
    func testHeadIsExactlyTheDesignedBytes() {
        XCTAssertEqual(String(decoding: EventStreamHead.bytes(corsOrigin: nil), as: UTF8.self),
                       "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                       + "Cache-Control: no-cache, no-transform\r\nX-Accel-Buffering: no\r\n"
                       + "Connection: keep-alive\r\n\r\n")
    }

    func testAnAllowedOriginIsEchoedWithVary() {
        let head = String(decoding: EventStreamHead.bytes(corsOrigin: "http://localhost:3000"), as: UTF8.self)
        XCTAssertEqual(head, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                       + "Cache-Control: no-cache, no-transform\r\n"
                       + "Access-Control-Allow-Origin: http://localhost:3000\r\nVary: Origin\r\n"
                       + "X-Accel-Buffering: no\r\nConnection: keep-alive\r\n\r\n")
    }
}

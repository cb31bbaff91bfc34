import XCTest
@testable import HMRCore

final class ResponseHeadReaderTests: XCTestCase {
    private func read(_ text: String) throws -> ResponseStart? {
        try ResponseHeadReader.read(Array(text.utf8))
    }

    func testTheEventStreamHeadIsReadWithItsBodyOffset() throws {
        let head = EventStreamHead.bytes(corsOrigin: nil)
        let head2 = try XCTUnwrap(try ResponseHeadReader.read(head + Array("retry: 1000\n\n".utf8)))
        XCTAssertEqual(head2.status, 200)
        XCTAssertEqual(head2.value(of: "content-type"), "text/event-stream; charset=utf-8")
        XCTAssertEqual(head2.bodyOffset, head.count)
    }

    func testACannedErrorIsReadWithItsStatus() throws {
        let bytes = CannedResponse.text(.notFound, message: "no route", corsOrigin: nil)
        let head = try XCTUnwrap(try ResponseHeadReader.read(bytes))
        XCTAssertEqual(head.status, 404)
        XCTAssertNotNil(head.value(of: "Content-Length"))
    }

    func testAnIncompleteHeadNeedsMore() throws {
        XCTAssertNil(try read("HTTP/1.1 200 OK\r\nContent-Type: x\r\n"))
        XCTAssertNil(try read("HTT"))
    }

    func testBareLineFeedsAreAccepted() throws {
        let text = "HTTP/1.0 204 No Content\nA: b\n\nbody"
        let head = try XCTUnwrap(try read(text))
        XCTAssertEqual(head.value(of: "a"), "b")
        XCTAssertEqual(Array(text.utf8)[head.bodyOffset...], Array("body".utf8)[...])
    }

    func testSomethingThatIsNotHTTPIsRefused() {
        XCTAssertThrowsError(try read("SSH-2.0-OpenSSH_9.2\r\n"))
        XCTAssertThrowsError(try read("HTTP/1.1 2000 OK\r\n\r\n"))
        XCTAssertThrowsError(try read("HTTP/2 200\r\n\r\n"))
        XCTAssertThrowsError(try read("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"))
        XCTAssertThrowsError(try ResponseHeadReader.read(Array("HTTP/1.1 200 OK\r\n".utf8)
            + [UInt8](repeating: 0x61, count: ResponseHeadReader.maxHeadBytes + 1)))
    }
}

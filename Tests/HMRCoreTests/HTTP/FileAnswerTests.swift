import XCTest
@testable import HMRCore

final class FileAnswerTests: XCTestCase {
    private func request(head: Bool = false) -> AllowedRequest {
        AllowedRequest(path: "/v.mp4", rawPath: "/v.mp4", query: nil, isHead: head, corsOrigin: nil, lastEventID: nil,
                       keepAlive: true)
    }

    func testAWholeFileIs200WithItsLengthAndEveryByte() {
        let answer = FileAnswer.head(request(), contentType: "video/mp4", size: 10, range: .whole)
        XCTAssertEqual(answer.status, .ok)
        XCTAssertEqual(answer.body, 0...9)
        XCTAssertEqual(String(decoding: answer.head, as: UTF8.self),
                       "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 10\r\nAccept-Ranges: bytes\r\n"
                       + "Cache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n")
    }

    func testARangeIs206WithThoseBytesOnly() {
        let answer = FileAnswer.head(request(), contentType: "video/mp4", size: 10, range: .part(first: 2, last: 4))
        XCTAssertEqual(answer.status, .partialContent)
        XCTAssertEqual(answer.body, 2...4)
        XCTAssertTrue(String(decoding: answer.head, as: UTF8.self).contains("Content-Range: bytes 2-4/10\r\n"))
    }

    func testPastTheEndIs416WithNoBodyAndHeadAndEmptyFilesSendNone() {
        let past = FileAnswer.head(request(), contentType: "video/mp4", size: 10, range: .unsatisfiable)
        XCTAssertEqual(past.status, .rangeNotSatisfiable)
        XCTAssertNil(past.body)
        XCTAssertEqual(String(decoding: past.head, as: UTF8.self),
                       "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */10\r\nContent-Length: 0\r\n"
                       + "Connection: keep-alive\r\n\r\n")
        XCTAssertNil(FileAnswer.head(request(head: true), contentType: "video/mp4", size: 10, range: .whole).body)
        XCTAssertNil(FileAnswer.head(request(), contentType: "text/plain", size: 0, range: .whole).body)
    }
}

// Response heads, byte for byte.

import XCTest
@testable import HMRCore

final class ResponseHeadTests: XCTestCase {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    func testHeadIsEncodedWithCRLFAndAnEmptyLine() {
        let head = ResponseHead(status: .ok, headers: [
            HeaderField(name: "Content-Type", value: "text/event-stream; charset=utf-8"),
            HeaderField(name: "Cache-Control", value: "no-cache, no-transform"),
        ])
        XCTAssertEqual(text(head.encoded()),
                       "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                       + "Cache-Control: no-cache, no-transform\r\n\r\n")
    }

    func testHeadWithoutHeadersIsJustTheStatusLine() {
        XCTAssertEqual(text(ResponseHead(status: .noContent, headers: []).encoded()), "HTTP/1.1 204 No Content\r\n\r\n")
    }

    func testControlBytesInHeadersCannotSplitTheResponse() {
        let head = ResponseHead(status: .movedPermanently, headers: [
            HeaderField(name: "Location", value: "/a\r\nSet-Cookie: x=1\u{0}\tb"),
            HeaderField(name: "X\nY", value: "z"),
        ])
        XCTAssertEqual(text(head.encoded()),
                       "HTTP/1.1 301 Moved Permanently\r\nLocation: /a  Set-Cookie: x=1 \tb\r\nX Y: z\r\n\r\n")
    }

    func testNonASCIIValuesAreWrittenAsUTF8() {
        let head = ResponseHead(status: .ok, headers: [HeaderField(name: "X-Name", value: "caf\u{E9}")])
        XCTAssertEqual(head.encoded(),
                       Array("HTTP/1.1 200 OK\r\nX-Name: caf".utf8) + [0xC3, 0xA9, 0x0D, 0x0A, 0x0D, 0x0A])
    }

    func testStatusCodesAndReasons() {
        let statuses: [(HTTPStatus, Int, String)] = [
            (.ok, 200, "OK"), (.noContent, 204, "No Content"), (.movedPermanently, 301, "Moved Permanently"),
            (.notModified, 304, "Not Modified"), (.badRequest, 400, "Bad Request"), (.forbidden, 403, "Forbidden"),
            (.notFound, 404, "Not Found"), (.methodNotAllowed, 405, "Method Not Allowed"),
            (.requestHeaderFieldsTooLarge, 431, "Request Header Fields Too Large"),
            (.internalServerError, 500, "Internal Server Error"), (.serviceUnavailable, 503, "Service Unavailable"),
        ]
        for (status, code, reason) in statuses {
            XCTAssertEqual(status.code, code)
            XCTAssertEqual(status.reason, reason)
        }
    }
}

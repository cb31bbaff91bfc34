// Canned error responses, byte for byte.

import XCTest
@testable import HMRCore

final class CannedResponseTests: XCTestCase {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    func testNotFoundIsPlainTextAndCloses() {
        XCTAssertEqual(text(CannedResponse.text(.notFound, message: "no such file: /x.css", corsOrigin: nil)),
                       "HTTP/1.1 404 Not Found\r\n"
                       + "Content-Type: text/plain; charset=utf-8\r\n"
                       + "Content-Length: 36\r\n"
                       + "Cache-Control: no-cache\r\n"
                       + "Connection: close\r\n"
                       + "\r\n"
                       + "404 Not Found: no such file: /x.css\n")
    }

    func testCORSAndExtraHeadersComeBeforeConnection() {
        let bytes = CannedResponse.text(.serviceUnavailable, message: "too many clients",
                                        corsOrigin: "http://localhost:3000",
                                        extraHeaders: [HeaderField(name: "Retry-After", value: "5")], keepAlive: true)
        XCTAssertEqual(text(bytes),
                       "HTTP/1.1 503 Service Unavailable\r\n"
                       + "Content-Type: text/plain; charset=utf-8\r\n"
                       + "Content-Length: 42\r\n"
                       + "Cache-Control: no-cache\r\n"
                       + "Access-Control-Allow-Origin: http://localhost:3000\r\n"
                       + "Vary: Origin\r\n"
                       + "Retry-After: 5\r\n"
                       + "Connection: keep-alive\r\n"
                       + "\r\n"
                       + "503 Service Unavailable: too many clients\n")
    }

    func testHeadOnlyKeepsTheLengthButDropsTheBody() {
        XCTAssertEqual(text(CannedResponse.text(.forbidden, message: "no", corsOrigin: nil, headOnly: true)),
                       "HTTP/1.1 403 Forbidden\r\n"
                       + "Content-Type: text/plain; charset=utf-8\r\n"
                       + "Content-Length: 18\r\n"
                       + "Cache-Control: no-cache\r\n"
                       + "Connection: close\r\n"
                       + "\r\n")
    }

    func testContentLengthCountsUTF8Bytes() {
        // "café" is four characters but five bytes.
        XCTAssertEqual(text(CannedResponse.text(.badRequest, message: "caf\u{E9}", corsOrigin: nil)),
                       "HTTP/1.1 400 Bad Request\r\n"
                       + "Content-Type: text/plain; charset=utf-8\r\n"
                       + "Content-Length: 23\r\n"
                       + "Cache-Control: no-cache\r\n"
                       + "Connection: close\r\n"
                       + "\r\n"
                       + "400 Bad Request: caf\u{E9}\n")
    }

    func testMethodDenialCarriesAllow() {
        XCTAssertEqual(text(CannedResponse.denial(.methodNotAllowed, reason: "use GET", corsOrigin: "http://[::1]")),
                       "HTTP/1.1 405 Method Not Allowed\r\n"
                       + "Content-Type: text/plain; charset=utf-8\r\n"
                       + "Content-Length: 32\r\n"
                       + "Cache-Control: no-cache\r\n"
                       + "Access-Control-Allow-Origin: http://[::1]\r\n"
                       + "Vary: Origin\r\n"
                       + "Allow: GET, HEAD\r\n"
                       + "Connection: close\r\n"
                       + "\r\n"
                       + "405 Method Not Allowed: use GET\n")
    }

    func testOtherDenialsCarryNoAllow() {
        XCTAssertEqual(CannedResponse.denial(.forbidden, reason: "x", corsOrigin: nil, headOnly: true),
                       CannedResponse.text(.forbidden, message: "x", corsOrigin: nil, headOnly: true))
    }
}

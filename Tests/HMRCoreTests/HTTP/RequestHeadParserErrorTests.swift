// Every way a head is refused as malformed, each checked at every split.

import XCTest
@testable import HMRCore

final class RequestHeadParserErrorTests: XCTestCase {
    /// Asserts the head fails with `reason`, however it is split.
    func assertMalformed(_ text: String, _ reason: String, file: StaticString = #filePath, line: UInt = #line) {
        assertMalformed(Array(text.utf8), reason, file: file, line: line)
    }

    func assertMalformed(_ bytes: [UInt8], _ reason: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(parseHead(bytes), .failed(.malformed(reason)), file: file, line: line)
        assertParsesTheSameAtEverySplit(bytes, file: file, line: line)
    }

    let host = "Host: localhost\r\n"

    func testRequestLineNeedsExactlySingleSpaces() {
        for line in ["GET  / HTTP/1.1", "GET /  HTTP/1.1", " GET / HTTP/1.1", "GET / HTTP/1.1 ", "GET /",
                     "GET", "GET / HTTP/1.1 extra", "GET\t/\tHTTP/1.1", "GET / FOO/1.1"] {
            assertMalformed(line + "\r\n" + host + "\r\n", "malformed request line")
        }
    }

    func testMethodMustBeAToken() {
        assertMalformed("G(T / HTTP/1.1\r\n\(host)\r\n", "invalid method")
        assertMalformed(Array("G".utf8) + [0xC3, 0xA9] + Array("T / HTTP/1.1\r\n\(host)\r\n".utf8), "invalid method")
    }

    func testOtherHTTPVersionsAreUnsupported() {
        for version in ["HTTP/1.2", "HTTP/2.0", "HTTP/0.9", "HTTP/1.1x", "HTTP/1", "http/1.1x"] {
            let reason = version.hasPrefix("HTTP/") ? "unsupported http version" : "malformed request line"
            assertMalformed("GET / \(version)\r\n\(host)\r\n", reason)
        }
    }

    func testLowercaseVersionIsNotHTTP() {
        assertMalformed("GET / http/1.1\r\n\(host)\r\n", "malformed request line")
    }

    func testHTTP2PrefaceIsAnUnsupportedVersion() {
        assertMalformed("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "unsupported http version")
    }

    func testTargetMustBeVisibleASCII() {
        assertMalformed(Array("GET /caf".utf8) + [0xC3, 0xA9] + Array(" HTTP/1.1\r\n\(host)\r\n".utf8),
                        "invalid request target")
        assertMalformed(Array("GET /a".utf8) + [0x00] + Array(" HTTP/1.1\r\n\(host)\r\n".utf8),
                        "invalid request target")
        assertMalformed(Array("GET /a".utf8) + [0x7F] + Array(" HTTP/1.1\r\n\(host)\r\n".utf8),
                        "invalid request target")
    }

    func testBareCarriageReturnIsMalformed() {
        assertMalformed("GET / HTTP/1.1\r\r\n\(host)\r\n", "bare carriage return")
        assertMalformed("GET / HTTP/1.1\r\nHost: local\rhost\r\n\r\n", "bare carriage return")
        assertMalformed("GET / HTTP/1.1\r\n\(host)\r\r\n", "bare carriage return")
        assertMalformed("\r\r\nGET / HTTP/1.1\r\n\(host)\r\n", "bare carriage return")
    }

    func testObsoleteLineFoldingIsMalformed() {
        assertMalformed("GET / HTTP/1.1\r\n\(host)X-A: a\r\n b\r\n\r\n", "obsolete line folding")
        assertMalformed("GET / HTTP/1.1\r\n\(host)X-A: a\r\n\tb\r\n\r\n", "obsolete line folding")
        assertMalformed("GET / HTTP/1.1\r\n Host: localhost\r\n\r\n", "obsolete line folding")
    }

    func testHeaderLineWithoutColonIsMalformed() {
        assertMalformed("GET / HTTP/1.1\r\n\(host)Nonsense\r\n\r\n", "header line without colon")
    }

    func testHeaderNameMustBeATokenWithNoWhitespaceBeforeTheColon() {
        for line in ["Host : localhost", "Ho st: x", ": empty", "X-\u{E9}: a", "X(a): b", "X-A\t: b"] {
            assertMalformed("GET / HTTP/1.1\r\n\(host)\(line)\r\n\r\n", "invalid header name")
        }
    }

    func testHeaderValueMustNotContainControlBytes() {
        for control: UInt8 in [0x00, 0x01, 0x0B, 0x1F, 0x7F] {
            let bytes = Array("GET / HTTP/1.1\r\n\(host)X-A: a".utf8) + [control] + Array("b\r\n\r\n".utf8)
            assertMalformed(bytes, "invalid header value")
        }
    }

    func testHeaderValueMayContainATab() {
        XCTAssertEqual(parseHead("GET / HTTP/1.1\r\n\(host)X-A: a\tb\r\n\r\n"),
                       .complete(makeHead("GET", "/", .http11, [("Host", "localhost"), ("X-A", "a\tb")]), consumed: 45))
    }

    func testHeadsThatFrameABodyAreLeftToTheBodyFraming() {
        // Framing errors are RequestBodyFraming's to report, after the head.
        for field in ["Content-Length: 5", "Content-Length: x", "Transfer-Encoding: chunked",
                      "transfer-encoding: identity", "Content-Length: 0\r\nContent-Length: 1"] {
            let bytes = Array("POST / HTTP/1.1\r\n\(host)\(field)\r\n\r\nbody".utf8)
            guard case .complete(_, let consumed) = parseHead(bytes) else { return XCTFail("refused: \(field)") }
            XCTAssertEqual(consumed, bytes.count - 4, field)
            assertParsesTheSameAtEverySplit(bytes)
        }
    }

    func testDuplicateHostIsMalformed() {
        assertMalformed("GET / HTTP/1.1\r\n\(host)host: localhost\r\n\r\n", "duplicate host")
        assertMalformed("GET / HTTP/1.0\r\n\(host)\(host)\r\n", "duplicate host")
    }

    func testHTTP11WithoutHostIsMalformed() {
        assertMalformed("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", "missing host")
    }

    func testMalformedErrorsAnswer400() {
        XCTAssertEqual(RequestError.malformed("x").status, .badRequest)
        XCTAssertEqual(RequestError.malformed("missing host").message, "missing host")
    }
}

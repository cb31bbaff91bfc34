// Body framing from the head (RFC 9112 section 6), the Expect header, the 411
// rule for routes that take a body, and the exact text of each new refusal.

import XCTest
@testable import HMRCore

final class RequestBodyFramingTests: XCTestCase {
    /// The framing of a POST with these header fields (after Host), or its refusal.
    func framing(_ fields: [(String, String)], _ version: HTTPVersion = .http11)
        -> Result<RequestBodyFraming, RequestError> {
        let head = makeHead("POST", "/__hmr/report", version, [("Host", "localhost")] + fields)
        return Result { () throws(RequestError) in try RequestBodyFraming(head: head) }
    }

    func assertFraming(_ fields: [(String, String)], _ expected: Result<RequestBodyFraming, RequestError>,
                       version: HTTPVersion = .http11, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(framing(fields, version), expected, "\(fields)", file: file, line: line)
    }

    func testNoTransferEncodingAndNoContentLengthMeansNoBody() {
        assertFraming([], .success(.none))
        assertFraming([("Accept", "*/*")], .success(.none), version: .http10)
    }

    func testContentLengthIsTheBodyLength() {
        let rows: [(String, Int)] = [("0", 0), ("5", 5), ("005", 5), ("65536", 65536),
                                     ("9223372036854775807", Int.max)]
        for (value, length) in rows { assertFraming([("Content-Length", value)], .success(.length(length))) }
        assertFraming([("Content-Length", "5")], .success(.length(5)), version: .http10)
    }

    func testRepeatedContentLengthsThatAreIdenticalCountOnce() {
        assertFraming([("Content-Length", "5, 5")], .success(.length(5)))
        assertFraming([("Content-Length", "5,5")], .success(.length(5)))
        assertFraming([("Content-Length", "5"), ("content-length", "5")], .success(.length(5)))
        assertFraming([("Content-Length", "7"), ("Content-Length", "7, 7")], .success(.length(7)))
    }

    func testDifferingContentLengthsAreMalformed() {
        for fields in [[("Content-Length", "5, 6")], [("Content-Length", "5"), ("Content-Length", "6")],
                       [("Content-Length", "5"), ("Content-Length", "05")], [("Content-Length", "0, 00")]] {
            assertFraming(fields, .failure(.malformed("conflicting content-length")))
        }
    }

    func testContentLengthMustBeDecimalDigits() {
        for value in ["-1", "0x0", "", "+0", "5 5", "5,", ", 5", "5,,5", "1e3", "٣", " "] {
            assertFraming([("Content-Length", value)], .failure(.malformed("invalid content-length")))
        }
    }

    func testContentLengthTooLargeToRepresentIsContentTooLarge() {
        for value in ["9223372036854775808", "99999999999999999999999", "18446744073709551616"] {
            assertFraming([("Content-Length", value)], .failure(.bodyTooLarge))
        }
    }

    func testChunkedAloneIsChunkedInAnyCase() {
        for value in ["chunked", "Chunked", "CHUNKED", "chunked,", ", chunked"] {
            assertFraming([("Transfer-Encoding", value)], .success(.chunked))
        }
    }

    func testTransferEncodingWhoseFinalCodingIsNotChunkedIsMalformed() {
        for value in ["gzip", "identity", "chunked, gzip", "chunked;q=1", "chunkedx", "gzip, identity"] {
            assertFraming([("Transfer-Encoding", value)], .failure(.malformed("final transfer coding is not chunked")))
        }
    }

    func testOtherCodingsBeforeChunkedAreNotImplemented() {
        assertFraming([("Transfer-Encoding", "gzip, chunked")], .failure(.unsupportedTransferCoding("gzip")))
        assertFraming([("Transfer-Encoding", "deflate"), ("Transfer-Encoding", "chunked")],
                      .failure(.unsupportedTransferCoding("deflate")))
        assertFraming([("Transfer-Encoding", "x-custom;level=9, chunked")],
                      .failure(.unsupportedTransferCoding("x-custom;level=9")))
    }

    func testChunkedTwiceIsMalformed() {
        assertFraming([("Transfer-Encoding", "chunked, chunked")], .failure(.malformed("chunked applied more than once")))
        assertFraming([("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "CHUNKED")],
                      .failure(.malformed("chunked applied more than once")))
    }

    func testEmptyOrInvalidTransferEncodingIsMalformed() {
        for value in ["", " ", ","] {
            assertFraming([("Transfer-Encoding", value)], .failure(.malformed("empty transfer-encoding")))
        }
        for value in ["\"chunked\"", "gz(ip), chunked", ";x, chunked", "a b, chunked"] {
            assertFraming([("Transfer-Encoding", value)], .failure(.malformed("invalid transfer-encoding")))
        }
    }

    func testTransferEncodingWithContentLengthIsMalformedWhateverTheOrder() {
        let reason = RequestError.malformed("both transfer-encoding and content-length")
        assertFraming([("Transfer-Encoding", "chunked"), ("Content-Length", "5")], .failure(reason))
        assertFraming([("Content-Length", "0"), ("Transfer-Encoding", "chunked")], .failure(reason))
        assertFraming([("Content-Length", "x"), ("Transfer-Encoding", "gzip")], .failure(reason))
    }

    func testTransferEncodingInHTTP10IsMalformed() {
        let reason = RequestError.malformed("transfer-encoding in an http/1.0 request")
        assertFraming([("Transfer-Encoding", "chunked")], .failure(reason), version: .http10)
        assertFraming([("Transfer-Encoding", "chunked"), ("Content-Length", "5")], .failure(reason), version: .http10)
    }

    func testFramingIsReadFromAParsedHead() {
        let text = "POST /__hmr/report HTTP/1.1\r\nHost: localhost\r\ntransfer-encoding: Chunked\r\n\r\n0\r\n\r\n"
        guard case .complete(let head, let consumed) = parseHead(text) else { return XCTFail("refused") }
        XCTAssertEqual(consumed, text.utf8.count - 5)
        XCTAssertEqual(try RequestBodyFraming(head: head), .chunked)
    }

    func testOnlyAMissingLengthIsRefusedWhereABodyIsRequired() {
        XCTAssertEqual(RequestBodyFraming.none.requireLength(), .lengthRequired)
        XCTAssertNil(RequestBodyFraming.length(0).requireLength())
        XCTAssertNil(RequestBodyFraming.length(12).requireLength())
        XCTAssertNil(RequestBodyFraming.chunked.requireLength())
    }

    func expectation(_ values: [String], _ version: HTTPVersion = .http11) -> Result<Bool, RequestError> {
        let head = makeHead("POST", "/", version, [("Host", "localhost")] + values.map { ("Expect", $0) })
        return Result { () throws(RequestError) in try head.expectsContinue() }
    }

    func testExpectContinueIsRecognizedInAnyCase() {
        XCTAssertEqual(expectation([]), .success(false))
        XCTAssertEqual(expectation([""]), .success(false))
        for value in ["100-continue", "100-Continue", "100-CONTINUE"] { XCTAssertEqual(expectation([value]), .success(true)) }
        XCTAssertEqual(expectation(["100-continue", "100-continue"]), .success(true))
    }

    func testExpectContinueIsIgnoredInHTTP10() {
        XCTAssertEqual(expectation(["100-continue"], .http10), .success(false))
    }

    func testAnyOtherExpectationFails() {
        XCTAssertEqual(expectation(["200-ok"]), .failure(.unsupportedExpectation("200-ok")))
        XCTAssertEqual(expectation(["100-continue, foo"]), .failure(.unsupportedExpectation("foo")))
        XCTAssertEqual(expectation(["100-continue;x=1"]), .failure(.unsupportedExpectation("100-continue;x=1")))
        XCTAssertEqual(expectation(["bar"], .http10), .failure(.unsupportedExpectation("bar")))
    }

    func testNewRefusalsAnswerTheirStatusWithTheseExactBodies() {
        let rows: [(RequestError, String)] = [
            (.bodyTooLarge, "413 Content Too Large: request body too large\n"),
            (.lengthRequired,
             "411 Length Required: request body needs a content-length or chunked transfer-encoding\n"),
            (.unsupportedTransferCoding("gzip"),
             "501 Not Implemented: transfer coding gzip is not supported; send chunked or a content-length\n"),
            (.unsupportedExpectation("200-ok"),
             "417 Expectation Failed: expectation 200-ok is not supported; only 100-continue is\n"),
        ]
        for (error, body) in rows {
            let response = CannedResponse.text(error.status, message: error.message, corsOrigin: nil)
            XCTAssertTrue(response.starts(with: Array("HTTP/1.1 \(error.status.code) \(error.status.reason)\r\n".utf8)))
            XCTAssertEqual(String(decoding: response.suffix(body.utf8.count), as: UTF8.self), body)
        }
    }
}

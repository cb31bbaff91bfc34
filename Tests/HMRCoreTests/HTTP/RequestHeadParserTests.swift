// Framing: the parser finds the same head whatever way its bytes arrive, and
// leaves the bytes after it alone.

import XCTest
@testable import HMRCore

final class RequestHeadParserTests: XCTestCase {
    let samples = [
        "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "GET /__hmr HTTP/1.1\r\nHost: localhost:5757\r\nAccept: text/event-stream\r\nLast-Event-ID: 42\r\n\r\n",
        "HEAD /a/b.css?v=1 HTTP/1.0\r\nUser-Agent: curl/8\r\n\r\n",
        "\r\n\r\nGET /x HTTP/1.1\nHost: a.localhost\nX-Empty:\n\n",
        "GET / HTTP/1.1\r\nHost: localhost\r\n\r\nGET /second HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: localhost\r\nBad\rValue: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    ]

    func testSimpleGetParses() {
        let text = "GET /index.html HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n"
        XCTAssertEqual(parseHead(text), .complete(
            makeHead("GET", "/index.html", .http11, [("Host", "localhost"), ("Accept", "*/*")]),
            consumed: text.utf8.count))
    }

    func testHeadSplitAtEveryByteParsesTheSame() {
        for sample in samples { assertParsesTheSameAtEverySplit(Array(sample.utf8)) }
    }

    func testHeadFedByteByByteNeedsMoreUntilItsLastByte() {
        let bytes = Array(samples[1].utf8)
        var parser = RequestHeadParser()
        for byte in bytes.dropLast() { XCTAssertEqual(parser.feed([byte]), .needMore) }
        guard case .complete(let head, let consumed) = parser.feed([bytes.last!]) else {
            return XCTFail("last byte did not complete the head")
        }
        XCTAssertEqual(consumed, 1)
        XCTAssertEqual(head.value(of: "last-event-id"), "42")
    }

    func testPipelinedSecondRequestIsLeftUnconsumed() {
        let first = "GET /one HTTP/1.1\r\nHost: localhost\r\n\r\n"
        let second = "GET /two HTTP/1.1\r\nHost: localhost\r\n\r\n"
        let bytes = Array((first + second).utf8)
        var parser = RequestHeadParser()
        guard case .complete(let one, let consumed) = parser.feed(bytes) else { return XCTFail("first") }
        XCTAssertEqual(one.target, "/one")
        XCTAssertEqual(consumed, first.utf8.count)
        XCTAssertEqual(parser.bufferedByteCount, 0)
        XCTAssertEqual(parser.feed(Array(bytes[consumed...])),
                       .complete(makeHead("GET", "/two"), consumed: second.utf8.count))
    }

    func testConsumedCountsOnlyTheLastFeedsBytes() {
        var parser = RequestHeadParser()
        XCTAssertEqual(parser.feed(Array("GET / HTTP/1.1\r\nHost: localhost\r".utf8)), .needMore)
        XCTAssertEqual(parser.feed(Array("\n\r\nNEXT".utf8)), .complete(makeHead(), consumed: 3))
    }

    func testBufferedByteCountTracksThePartialHead() {
        var parser = RequestHeadParser()
        XCTAssertEqual(parser.bufferedByteCount, 0)
        XCTAssertEqual(parser.feed(Array("\r\nGET / HT".utf8)), .needMore)
        XCTAssertEqual(parser.bufferedByteCount, 10)
        XCTAssertEqual(parser.feed(Array("TP/1.1\r\nHost: x\r\n".utf8)), .needMore)
        XCTAssertEqual(parser.bufferedByteCount, 27)
        parser.reset()
        XCTAssertEqual(parser.bufferedByteCount, 0)
    }

    func testResetDiscardsAPartialHead() {
        var parser = RequestHeadParser()
        XCTAssertEqual(parser.feed(Array("POST /junk HTTP/1.1\r\nX-A: 1\r\n".utf8)), .needMore)
        parser.reset()
        XCTAssertEqual(parser.feed(Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)),
                       .complete(makeHead(), consumed: 35))
    }

    func testFailureIsStickyUntilReset() {
        var parser = RequestHeadParser()
        let failure = RequestHeadParser.Outcome.failed(.malformed("malformed request line"))
        XCTAssertEqual(parser.feed(Array("GET  / HTTP/1.1\r\n".utf8)), failure)
        XCTAssertEqual(parser.feed(Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)), failure)
        parser.reset()
        XCTAssertEqual(parser.feed(Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)),
                       .complete(makeHead(), consumed: 35))
    }

    func testEmptyFeedNeedsMore() {
        var parser = RequestHeadParser()
        XCTAssertEqual(parser.feed([]), .needMore)
        XCTAssertEqual(parser.bufferedByteCount, 0)
    }

    func testBareLineFeedsAreTolerated() {
        XCTAssertEqual(parseHead("GET / HTTP/1.1\nHost: localhost\n\n"), .complete(makeHead(), consumed: 32))
    }

    func testLeadingEmptyLinesAreSkipped() {
        XCTAssertEqual(parseHead("\r\n\n\r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                       .complete(makeHead(), consumed: 40))
    }

    func testHeaderValuesAreTrimmedButKeepInnerWhitespace() {
        XCTAssertEqual(parseHead("GET / HTTP/1.1\r\nHost: \t localhost \t\r\nX-A:a \t b\r\nX-B:   \r\n\r\n"),
                       .complete(makeHead("GET", "/", .http11, [("Host", "localhost"), ("X-A", "a \t b"), ("X-B", "")]),
                                 consumed: 59))
    }

    func testNonASCIIHeaderValueIsKeptAsUTF8() {
        let result = parseHead(Array("GET / HTTP/1.1\r\nHost: localhost\r\nX-Name: caf\u{E9}\r\n\r\n".utf8))
        guard case .complete(let parsed, _) = result else { return XCTFail("\(result)") }
        XCTAssertEqual(parsed.value(of: "X-Name"), "caf\u{E9}")
    }

    func testInvalidUTF8InAValueIsDecodedLossily() {
        let bytes = Array("GET / HTTP/1.1\r\nHost: localhost\r\nX-Raw: a".utf8) + [0xFF] + Array("b\r\n\r\n".utf8)
        guard case .complete(let parsed, _) = parseHead(bytes) else { return XCTFail("not parsed") }
        XCTAssertEqual(parsed.value(of: "X-Raw"), "a\u{FFFD}b")
    }

    func testHTTP10WithoutHostParses() {
        XCTAssertEqual(parseHead("GET / HTTP/1.0\r\n\r\n"), .complete(makeHead("GET", "/", .http10, []), consumed: 18))
    }

    func testMethodAndHeaderNamesKeepTheirCase() {
        XCTAssertEqual(parseHead("get / HTTP/1.1\r\nhOsT: localhost\r\n\r\n"),
                       .complete(makeHead("get", "/", .http11, [("hOsT", "localhost")]), consumed: 35))
    }

    func testZeroContentLengthIsAccepted() {
        XCTAssertEqual(parseHead("GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 00\r\n\r\n"),
                       .complete(makeHead("GET", "/", .http11, [("Host", "localhost"), ("Content-Length", "00")]),
                                 consumed: 55))
    }
}

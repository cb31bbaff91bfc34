// The size limits: bytes in the head and the number of header fields.

import XCTest
@testable import HMRCore

final class RequestHeadParserLimitTests: XCTestCase {
    /// A valid head of exactly `size` bytes, padded with one filler header.
    func paddedHead(ofSize size: Int) -> [UInt8] {
        let start = "GET / HTTP/1.1\r\nHost: localhost\r\nX-Pad: "
        let end = "\r\n\r\n"
        let padding = size - start.utf8.count - end.utf8.count
        precondition(padding >= 0)
        return Array(start.utf8) + Array(repeating: UInt8(ascii: "a"), count: padding) + Array(end.utf8)
    }

    func testHeadOfExactlyMaxBytesIsAccepted() {
        let bytes = paddedHead(ofSize: RequestHeadParser.defaultMaxHeadBytes)
        guard case .complete(_, let consumed) = parseHead(bytes) else { return XCTFail("refused") }
        XCTAssertEqual(consumed, 16 * 1024)
    }

    func testHeadOfOneByteOverMaxIsTooLarge() {
        XCTAssertEqual(parseHead(paddedHead(ofSize: RequestHeadParser.defaultMaxHeadBytes + 1)), .failed(.headTooLarge))
    }

    func testLimitHoldsAtEverySplit() {
        // A small limit keeps this quadratic check fast; the logic is the same.
        let max = 64
        let fits = Array("GET / HTTP/1.1\r\nHost: localhost\r\nX-Pad: aaaaaaaaaaaaaaaaaaaa\r\n\r\n".utf8)
        XCTAssertEqual(fits.count, max)
        XCTAssertNotEqual(parseHead(fits, maxHeadBytes: max), .failed(.headTooLarge))
        assertParsesTheSameAtEverySplit(fits, maxHeadBytes: max)
        let over = Array("GET / HTTP/1.1\r\nHost: localhost\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaa\r\n\r\n".utf8)
        XCTAssertEqual(parseHead(over, maxHeadBytes: max), .failed(.headTooLarge))
        assertParsesTheSameAtEverySplit(over, maxHeadBytes: max)
    }

    func testOversizedHeadFailsAsSoonAsItCrossesTheLimit() {
        // 64 KiB with no end in sight: the parser must not wait for the end.
        var parser = RequestHeadParser()
        let chunk = Array(repeating: UInt8(ascii: "a"), count: 1024)
        XCTAssertEqual(parser.feed(Array("GET / HTTP/1.1\r\nX-Big: ".utf8)), .needMore)
        var fed = 0
        var outcome = RequestHeadParser.Outcome.needMore
        while outcome == .needMore && fed < 64 {
            outcome = parser.feed(chunk)
            fed += 1
        }
        XCTAssertEqual(outcome, .failed(.headTooLarge))
        XCTAssertEqual(fed, 16, "refused on the chunk that crossed 16 KiB")
        XCTAssertLessThanOrEqual(parser.bufferedByteCount, RequestHeadParser.defaultMaxHeadBytes)
    }

    func testOversizedHeadInOneFeedIsRefused() {
        let bytes = Array("GET / HTTP/1.1\r\nX-Big: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 64 * 1024)
        XCTAssertEqual(parseHead(bytes), .failed(.headTooLarge))
    }

    func testLeadingEmptyLinesCountTowardsTheLimit() {
        let bytes = Array(repeating: UInt8(ascii: "\n"), count: 16 * 1024 + 1)
        XCTAssertEqual(parseHead(bytes), .failed(.headTooLarge))
    }

    func testCustomLimitIsHonoured() {
        let text = Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        XCTAssertEqual(parseHead(text, maxHeadBytes: text.count), .complete(makeHead(), consumed: text.count))
        XCTAssertEqual(parseHead(text, maxHeadBytes: text.count - 1), .failed(.headTooLarge))
    }

    func fields(_ count: Int) -> [UInt8] {
        let lines = (1..<count).map { "X-\($0): v\r\n" }.joined()
        return Array("GET / HTTP/1.1\r\nHost: localhost\r\n\(lines)\r\n".utf8)
    }

    func testOneHundredHeaderFieldsAreAccepted() {
        guard case .complete(let parsed, _) = parseHead(fields(100)) else { return XCTFail("refused") }
        XCTAssertEqual(parsed.headers.count, 100)
    }

    func testOneHundredAndOneHeaderFieldsAreTooLarge() {
        XCTAssertEqual(parseHead(fields(101)), .failed(.headTooLarge))
    }

    func testTooLargeAnswers431() {
        XCTAssertEqual(RequestError.headTooLarge.status, .requestHeaderFieldsTooLarge)
        XCTAssertEqual(RequestError.headTooLarge.status.code, 431)
    }
}

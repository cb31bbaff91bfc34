// Reading bodies: Content-Length and chunked, their limits, malformed chunks,
// and the bytes after a body, each checked at every split of its input.

import XCTest
@testable import HMRCore

/// What feeding a whole input led to, `consumed` counted from its start.
enum BodyReadResult: Equatable {
    case needMore
    case complete(String, consumed: Int)
    case failed(RequestError)
}

final class RequestBodyReaderTests: XCTestCase {
    /// Feeds `bytes` in pieces of the given sizes (the rest in one last piece,
    /// and at least one feed even for no input), stopping at the first answer.
    func read(_ bytes: [UInt8], _ framing: RequestBodyFraming = .chunked, limit: Int = RequestBodyReader.defaultLimit,
              pieces: [Int] = []) -> BodyReadResult {
        var reader = RequestBodyReader(framing: framing, limit: limit)
        var start = 0
        var sizes = pieces
        repeat {
            let size = sizes.isEmpty ? bytes.count - start : min(sizes.removeFirst(), bytes.count - start)
            switch reader.feed(Array(bytes[start..<(start + size)])) {
            case .needMore: start += size
            case .complete(let body, let consumed):
                XCTAssertLessThanOrEqual(body.count, limit, "body over the limit")
                XCTAssertLessThanOrEqual(consumed, size, "claimed more than it was given")
                return .complete(String(decoding: body, as: UTF8.self), consumed: start + consumed)
            case .failed(let error): return .failed(error)
            }
        } while start < bytes.count
        return .needMore
    }

    func read(_ text: String, _ framing: RequestBodyFraming = .chunked, limit: Int = RequestBodyReader.defaultLimit)
        -> BodyReadResult {
        read(Array(text.utf8), framing, limit: limit)
    }

    /// Asserts the same answer at every split in two, and byte by byte.
    func assertReadsTheSameAtEverySplit(_ text: String, _ framing: RequestBodyFraming = .chunked,
                                        limit: Int = RequestBodyReader.defaultLimit,
                                        file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(text.utf8)
        let whole = read(bytes, framing, limit: limit)
        for split in 0...bytes.count {
            XCTAssertEqual(read(bytes, framing, limit: limit, pieces: [split]), whole, "split at \(split)",
                           file: file, line: line)
        }
        XCTAssertEqual(read(bytes, framing, limit: limit, pieces: Array(repeating: 1, count: bytes.count)), whole,
                       "byte by byte", file: file, line: line)
    }

    /// Asserts `text` reads as `expected`, and the same at every split.
    func assertRead(_ text: String, _ framing: RequestBodyFraming = .chunked, limit: Int = RequestBodyReader.defaultLimit,
                    gives expected: BodyReadResult, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(read(text, framing, limit: limit), expected, text.debugDescription, file: file, line: line)
        assertReadsTheSameAtEverySplit(text, framing, limit: limit, file: file, line: line)
    }

    // MARK: No body and Content-Length

    func testNoBodyCompletesAtOnceAndLeavesEveryByte() {
        assertRead("", .none, gives: .complete("", consumed: 0))
        assertRead("GET / HTTP/1.1\r\n", .none, gives: .complete("", consumed: 0))
    }

    func testContentLengthBodyIsReadExactlyAndLeavesTheNextRequest() {
        assertRead("hello", .length(5), gives: .complete("hello", consumed: 5))
        assertRead("helloGET / HTTP/1.1\r\n", .length(5), gives: .complete("hello", consumed: 5))
        assertRead("{\"a\":\r\n1}", .length(9), gives: .complete("{\"a\":\r\n1}", consumed: 9))
    }

    func testContentLengthBodyWaitsForItsLastByte() {
        assertRead("hell", .length(5), gives: .needMore)
        var reader = RequestBodyReader(framing: .length(3))
        XCTAssertEqual(reader.feed(Array("ab".utf8)), .needMore)
        XCTAssertEqual(reader.feed([]), .needMore)
        XCTAssertEqual(reader.feed(Array("cd".utf8)), .complete(body: Array("abc".utf8), consumed: 1))
    }

    func testZeroContentLengthCompletesWithoutInput() {
        var reader = RequestBodyReader(framing: .length(0))
        XCTAssertEqual(reader.feed([]), .complete(body: [], consumed: 0))
    }

    func testContentLengthAtTheLimitIsRead() {
        let body = String(repeating: "a", count: 64 * 1024)
        XCTAssertEqual(read(body, .length(64 * 1024)), .complete(body, consumed: 64 * 1024))
        assertRead("abcd", .length(4), limit: 4, gives: .complete("abcd", consumed: 4))
    }

    func testContentLengthOverTheLimitFailsBeforeAnyOfItIsRead() {
        var reader = RequestBodyReader(framing: .length(64 * 1024 + 1))
        XCTAssertEqual(reader.feed([]), .failed(.bodyTooLarge))
        XCTAssertEqual(reader.feed(Array("more".utf8)), .failed(.bodyTooLarge), "the failure sticks")
        var huge = RequestBodyReader(framing: .length(Int.max))
        XCTAssertEqual(huge.feed([]), .failed(.bodyTooLarge))
        assertRead("abcde", .length(5), limit: 4, gives: .failed(.bodyTooLarge))
    }

    // MARK: Chunked

    func testChunkedBodyIsDecoded() {
        assertRead("5\r\nhello\r\n0\r\n\r\n", gives: .complete("hello", consumed: 15))
        assertRead("3\r\nabc\r\n1\r\nd\r\n2\r\nef\r\n0\r\n\r\n", gives: .complete("abcdef", consumed: 26))
        assertRead("0\r\n\r\n", gives: .complete("", consumed: 5))
    }

    func testChunkSizesAreHexInEitherCaseWithLeadingZeros() {
        let ten = String(repeating: "x", count: 10)
        for size in ["a", "A", "0a", "000000000000000000000A"] {
            assertRead("\(size)\r\n\(ten)\r\n0\r\n\r\n", gives: .complete(ten, consumed: size.utf8.count + 19))
        }
        let big = String(repeating: "y", count: 0x1F)
        assertRead("1f\r\n\(big)\r\n0\r\n\r\n", gives: .complete(big, consumed: 42))
    }

    func testBytesAfterTheBodyAreLeftForTheNextRequest() {
        let body = "4\r\nwiki\r\n0\r\n\r\n"
        assertRead(body + "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", gives: .complete("wiki", consumed: body.utf8.count))
        assertRead(body + "0\r\n\r\n", gives: .complete("wiki", consumed: body.utf8.count))
    }

    func testChunkedBodyWaitsForTheFinalEmptyLine() {
        for text in ["5\r\nhello\r\n0\r\n", "5\r\nhello\r\n0\r\n\r", "5\r\nhel", "5\r\nhello\r", "5;a=b", "",
                     "5\r\nhello\r\n0\r\nX-A: 1\r\n"] {
            assertRead(text, gives: .needMore)
        }
    }

    func testChunkExtensionsAreAllowedAndIgnored() {
        for line in ["5;name", "5;name=value", "5;a=\"q;u\\\"o\";b", "5 ;a=b", "5\t; a = b", "5;\ta=b\t", "5;"] {
            assertRead("\(line)\r\nhello\r\n0;last=1\r\n\r\n", gives: .complete("hello", consumed: line.utf8.count + 21))
        }
    }

    func testTrailerFieldsAreReadAndDropped() {
        let text = "5\r\nhello\r\n0\r\nX-Checksum: abc\r\nExpires: never\r\n\r\n"
        assertRead(text + "GET", gives: .complete("hello", consumed: text.utf8.count))
    }

    func testMalformedChunkSizesAreRefused() {
        for line in ["", ";a=b", "g", "0x5", "-1", "+5", " 5", "5 ", "5 x", "5\t", "5g", "5,", "5\u{0}"] {
            assertRead("\(line)\r\nhello\r\n0\r\n\r\n", gives: .failed(.malformed("invalid chunk size")))
        }
    }

    func testLineEndsInChunkFramingMustBeCRLF() {
        let bareLF = BodyReadResult.failed(.malformed("bare line feed in chunked body"))
        let bareCR = BodyReadResult.failed(.malformed("bare carriage return in chunked body"))
        assertRead("5\nhello\r\n0\r\n\r\n", gives: bareLF)
        assertRead("5;a\nhello\r\n0\r\n\r\n", gives: bareLF)
        assertRead("5\r\nhello\r\n0\r\nX: y\n\r\n", gives: bareLF)
        assertRead("5\r\nhello\r\n0\r\n\n", gives: bareLF)
        assertRead("5\rhello\r\n0\r\n\r\n", gives: bareCR)
        assertRead("5;a\r\r\nhello\r\n0\r\n\r\n", gives: bareCR)
        assertRead("0\r\nX: y\rz\r\n\r\n", gives: bareCR)
        assertRead("0\r\n\rx", gives: bareCR)
    }

    func testChunkDataMustBeFollowedByCRLF() {
        for text in ["5\r\nhelloX\r\n0\r\n\r\n", "5\r\nhello\n0\r\n\r\n", "5\r\nhello\rX0\r\n\r\n", "3\r\nhello\r\n0\r\n\r\n"] {
            assertRead(text, gives: .failed(.malformed("chunk data not followed by crlf")))
        }
    }

    func testControlBytesInExtensionsAreRefused() {
        for byte in ["\u{0}", "\u{1}", "\u{1B}", "\u{7F}"] {
            assertRead("5;a\(byte)b\r\nhello\r\n0\r\n\r\n", gives: .failed(.malformed("invalid chunk extension")))
        }
    }

    func testMalformedTrailerFieldsAreRefused() {
        for field in ["NoColon", " folded: x", "Bad Name: x", ": empty", "X-A: a\u{1}b"] {
            assertRead("0\r\n\(field)\r\n\r\n", gives: .failed(.malformed("invalid trailer field")))
        }
    }

    // MARK: Limits

    func testChunkedBodyAtTheLimitIsReadAndOneByteMoreIsNot() {
        let half = String(repeating: "h", count: 32 * 1024)
        let atLimit = "8000\r\n\(half)\r\n8000\r\n\(half)\r\n0\r\n\r\n"
        XCTAssertEqual(read(atLimit), .complete(half + half, consumed: atLimit.utf8.count))
        let over = "8000\r\n\(half)\r\n8001\r\n\(half)h\r\n0\r\n\r\n"
        XCTAssertEqual(read(over), .failed(.bodyTooLarge))
        assertRead("3\r\nabc\r\n1\r\nd\r\n0\r\n\r\n", limit: 4, gives: .complete("abcd", consumed: 19))
        assertRead("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", limit: 4, gives: .failed(.bodyTooLarge))
    }

    func testChunkedBodyOverTheLimitFailsAsSoonAsItsSizeIsRead() {
        var reader = RequestBodyReader(framing: .chunked)
        XCTAssertEqual(reader.feed(Array("1000".utf8)), .needMore)
        XCTAssertEqual(reader.feed(Array("1".utf8)), .failed(.bodyTooLarge), "0x10001 is over 64 KiB before its data")
        var second = RequestBodyReader(framing: .chunked, limit: 4)
        XCTAssertEqual(second.feed(Array("3\r\nabc\r\n2".utf8)), .failed(.bodyTooLarge))
    }

    func testChunkSizeTooLargeToRepresentIsContentTooLarge() {
        for size in ["10000000000000000", "ffffffffffffffffff"] {
            assertRead("\(size)\r\n", limit: Int.max, gives: .failed(.bodyTooLarge))
        }
    }

    func testChunkLineLongerThanItsBoundIsRefused() {
        let max = RequestBodyReader.maxChunkLineBytes
        let fits = "1;" + String(repeating: "e", count: max - 2)
        assertRead("\(fits)\r\nx\r\n0\r\n\r\n", gives: .complete("x", consumed: max + 10))
        assertRead("\(fits)e\r\nx\r\n0\r\n\r\n", gives: .failed(.malformed("chunk line too long")))
        assertRead(String(repeating: "0", count: max) + "1\r\nx\r\n0\r\n\r\n", gives: .failed(.malformed("chunk line too long")))
    }

    func testFramingBytesOverTheirBoundAreContentTooLarge() {
        // "0\r\n" + "X: " + padding + "\r\n" + "\r\n" is 10 framing bytes plus the padding.
        let padding = RequestBodyReader.maxChunkFramingBytes - 10
        let fits = "0\r\nX: " + String(repeating: "t", count: padding) + "\r\n\r\n"
        XCTAssertEqual(read(fits), .complete("", consumed: RequestBodyReader.maxChunkFramingBytes))
        let over = "0\r\nX: " + String(repeating: "t", count: padding + 1) + "\r\n\r\n"
        XCTAssertEqual(read(over), .failed(.bodyTooLarge))
        // Many small chunks with long extensions: each line is within its own
        // bound, but together they are not.
        let chunk = "1;" + String(repeating: "e", count: 1000) + "\r\nx\r\n"
        XCTAssertEqual(read(String(repeating: chunk, count: 17) + "0\r\n\r\n"), .failed(.bodyTooLarge))
        XCTAssertEqual(read(String(repeating: chunk, count: 16) + "0\r\n\r\n"),
                       .complete(String(repeating: "x", count: 16), consumed: 16 * chunk.utf8.count + 5))
    }

    // MARK: Splits

    func testEveryAnswerIsTheSameWhereverTheInputIsSplit() {
        let inputs: [(String, RequestBodyFraming, Int)] = [
            ("a;x=\"y\"\r\n0123456789\r\n3 ;k\r\nabc\r\n0\r\nT: 1\r\nU:\r\n\r\nGET / HTTP/1.1\r\n", .chunked, 64),
            ("a\r\n0123456789\r\n3\r\nabc\r\n0\r\n\r\n", .chunked, 12),
            ("a\r\n0123456789\r\n3\r\nabc\r\n0\r\n\r\n", .chunked, 13),
            ("5\r\nhello\r\n0\r\n\rGET", .chunked, 64),
            ("{\"page\":\"/\"}POST /next HTTP/1.1\r\n", .length(12), 12),
            ("{\"page\":\"/\"}", .length(12), 11),
        ]
        for (text, framing, limit) in inputs { assertReadsTheSameAtEverySplit(text, framing, limit: limit) }
    }
}

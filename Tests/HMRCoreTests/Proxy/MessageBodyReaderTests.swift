// Reading a backend's response body: where it ends on a kept-alive connection, its
// decoded content when asked, truncation, and chunked framing with its bounds,
// each checked at every split of its input, with and without the payload.

import XCTest
@testable import HMRCore

final class MessageBodyReaderTests: XCTestCase {
    /// Everything a run of feeds told: bytes taken, content, and whether the body ended.
    struct Read: Equatable {
        var consumed: Int
        var payload: String
        var done: Bool
    }

    /// Feeds every piece (a reader that is done takes nothing more), then says
    /// the input ended when `close` is set.
    func read(_ piecing: Piecing, _ framing: MessageBodyFraming, payload: Bool = true, close: Bool = false)
        -> Result<Read, BodyError> {
        var reader = MessageBodyReader(framing: framing)
        var read = Read(consumed: 0, payload: "", done: reader.isDone)
        do {
            for piece in piecing.pieces {
                let step = try reader.feed(piece, payload: payload)
                XCTAssertLessThanOrEqual(step.consumed, piece.count, "claimed more than it was given")
                XCTAssert(step.done || step.consumed == piece.count, "stopped short of the input's end without ending")
                XCTAssert(payload || step.payload.isEmpty, "payload collected when not asked for")
                read.consumed += step.consumed
                read.payload += String(decoding: step.payload, as: UTF8.self)
                read.done = step.done
            }
            if close {
                try reader.endOfInput()
                read.done = reader.isDone
            }
            return .success(read)
        } catch {
            return .failure(error)
        }
    }

    /// Asserts `text` reads as `expected` in one piece, at every split and byte
    /// by byte, and takes the same bytes when the payload is not asked for.
    func assertRead(_ text: String, _ framing: MessageBodyFraming, close: Bool = false,
                    gives expected: Result<Read, BodyError>, file: StaticString = #filePath, line: UInt = #line) {
        for piecing in Piecing.all(Array(text.utf8)) {
            XCTAssertEqual(read(piecing, framing, close: close), expected, "\(text.debugDescription), \(piecing.name)",
                           file: file, line: line)
            let withoutPayload = expected.map { Read(consumed: $0.consumed, payload: "", done: $0.done) }
            XCTAssertEqual(read(piecing, framing, payload: false, close: close), withoutPayload,
                           "\(text.debugDescription), \(piecing.name), no payload", file: file, line: line)
        }
    }

    func ok(_ payload: String, consumed: Int, done: Bool = true) -> Result<Read, BodyError> {
        .success(Read(consumed: consumed, payload: payload, done: done))
    }

    let next = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"

    // MARK: No body, Content-Length, until close

    func testNoBodyIsDoneAtOnceAndTakesNothing() {
        assertRead("", .none, gives: ok("", consumed: 0))
        assertRead(next, .none, gives: ok("", consumed: 0))
        assertRead(next, .length(0), gives: ok("", consumed: 0))
    }

    func testContentLengthBodyEndsAtItsLastByte() {
        assertRead("hello", .length(5), gives: ok("hello", consumed: 5))
        assertRead("hello" + next, .length(5), gives: ok("hello", consumed: 5))
        assertRead("hel", .length(5), gives: ok("hel", consumed: 3, done: false))
    }

    func testContentLengthBodyCutShortIsTruncated() {
        assertRead("hel", .length(5), close: true, gives: .failure(.truncated("ended after 3 of 5 bytes")))
        assertRead("", .length(5), close: true, gives: .failure(.truncated("ended after 0 of 5 bytes")))
        assertRead("hello", .length(5), close: true, gives: ok("hello", consumed: 5))
    }

    func testUntilCloseTakesEverythingAndEndsWithTheInput() {
        assertRead("hello" + next, .untilClose, gives: ok("hello" + next, consumed: 5 + next.utf8.count, done: false))
        assertRead("hello", .untilClose, close: true, gives: ok("hello", consumed: 5))
        assertRead("", .untilClose, close: true, gives: ok("", consumed: 0))
    }

    // MARK: Chunked

    func testChunkedBodyIsDecodedAndEndsAfterItsTrailerSection() {
        assertRead("5\r\nhello\r\n0\r\n\r\n", .chunked, gives: ok("hello", consumed: 15))
        assertRead("3\r\nabc\r\n1\r\nd\r\n2\r\nef\r\n0\r\n\r\n" + next, .chunked, gives: ok("abcdef", consumed: 26))
        assertRead("0\r\n\r\n", .chunked, gives: ok("", consumed: 5))
        assertRead("5\r\nhello\r\n0\r\n", .chunked, gives: ok("hello", consumed: 13, done: false))
    }

    func testChunkExtensionsAndTrailerFieldsAreSkipped() {
        let text = "5;name=\"v;1\"\r\nhello\r\n1 ; a\r\n!\r\n0;last\r\nX-Checksum: abc\r\nExpires: never\r\n\r\n"
        assertRead(text + next, .chunked, gives: ok("hello!", consumed: text.utf8.count))
    }

    func testBareLineFeedsAreToleratedAndBareCarriageReturnsAreNot() {
        assertRead("5\nhello\n0\n\n" + next, .chunked, gives: ok("hello", consumed: 11))
        assertRead("5;a\nhello\r\n0\r\nX: y\n\n", .chunked, gives: ok("hello", consumed: 20))
        let bareCR = Result<Read, BodyError>.failure(.malformedChunks("bare carriage return in chunked body"))
        assertRead("5\rhello\r\n0\r\n\r\n", .chunked, gives: bareCR)
        assertRead("0\r\n\rx", .chunked, gives: bareCR)
        assertRead("5\r\nhello\rX", .chunked, gives: .failure(.malformedChunks("chunk data not followed by crlf")))
    }

    func testMalformedChunkedFramingIsRefused() {
        for line in ["", "g", "0x5", "-1", " 5", "5 x", "5g"] {
            assertRead("\(line)\r\nhello\r\n0\r\n\r\n", .chunked, gives: .failure(.malformedChunks("invalid chunk size")))
        }
        assertRead("5\r\nhelloXY", .chunked, gives: .failure(.malformedChunks("chunk data not followed by crlf")))
        assertRead("5;a\u{1}\r\n", .chunked, gives: .failure(.malformedChunks("invalid chunk extension")))
        assertRead("0\r\nNoColon\r\n\r\n", .chunked, gives: .failure(.malformedChunks("invalid trailer field")))
    }

    func testChunkedBodyCutShortIsTruncated() {
        for text in ["", "5\r\nhel", "5\r\nhello\r\n0\r\n", "5\r\nhello\r\n0\r\nX: 1\r\n"] {
            assertRead(text, .chunked, close: true,
                       gives: .failure(.truncated("ended after \(text.utf8.count) bytes, before the chunked body's end")))
        }
    }

    // MARK: Bounds

    func testChunkSizesUpToIntMaxAreTakenAndLargerOnesAreNot() {
        assertRead("7fffffffffffffff\r\nabc", .chunked, gives: ok("abc", consumed: 21, done: false))
        assertRead("000000000000000000007FFFFFFFFFFFFFFF\r\n", .chunked, gives: ok("", consumed: 38, done: false))
        for size in ["8000000000000000", "10000000000000000"] {
            assertRead("\(size)\r\n", .chunked, gives: .failure(.malformedChunks("chunk size too large")))
        }
    }

    func testChunkLinesAndTheTrailerSectionAreBounded() {
        let max = MessageBodyReader.maxChunkLineBytes
        let fits = "1;" + String(repeating: "e", count: max - 2)
        XCTAssertEqual(read(Piecing(name: "", pieces: [Array("\(fits)\r\nx\r\n0\r\n\r\n".utf8)]), .chunked),
                       ok("x", consumed: max + 10))
        XCTAssertEqual(read(Piecing(name: "", pieces: [Array("\(fits)e\r\n".utf8)]), .chunked),
                       .failure(.malformedChunks("chunk line too long")))
        // "X: " + padding + "\r\n" + "\r\n" is 7 bytes of the section plus the padding.
        let padding = MessageBodyReader.maxTrailerBytes - 7
        let trailer = "0\r\nX: " + String(repeating: "t", count: padding) + "\r\n\r\n"
        XCTAssertEqual(read(Piecing(name: "", pieces: [Array(trailer.utf8)]), .chunked),
                       ok("", consumed: trailer.utf8.count))
        let over = "0\r\nX: " + String(repeating: "t", count: padding + 1) + "\r\n\r\n"
        XCTAssertEqual(read(Piecing(name: "", pieces: [Array(over.utf8)]), .chunked),
                       .failure(.malformedChunks("trailer section too long")))
    }

    func testManySmallChunksAreNotBoundedInTotal() {
        let text = String(repeating: "1;ext\r\nx\r\n", count: 5000) + "0\r\n\r\n"
        XCTAssertEqual(read(Piecing.sized(Array(text.utf8), 4096), .chunked),
                       ok(String(repeating: "x", count: 5000), consumed: text.utf8.count))
    }

    func testAFiftyMegabyteDownloadStreamsThrough() throws {
        let chunk = [UInt8](repeating: 0x61, count: 1 << 20)
        var reader = MessageBodyReader(framing: .chunked)
        var consumed = 0, offered = 0
        for piece in Array(repeating: Array("100000\r\n".utf8) + chunk + Array("\r\n".utf8), count: 50) + [ChunkedEncoding.last] {
            for part in Piecing.sized(piece, 64 * 1024).pieces {
                let step = try reader.feed(part, payload: false)
                XCTAssertEqual(step.payload, [])
                consumed += step.consumed
                offered += part.count
            }
        }
        XCTAssert(reader.isDone)
        XCTAssertEqual(consumed, offered)
        XCTAssertGreaterThan(consumed, 50 << 20)
    }

    // MARK: Failures and messages

    func testAFailureIsFinal() {
        var reader = MessageBodyReader(framing: .chunked)
        XCTAssertThrowsError(try reader.feed(Array("zz".utf8), payload: true)) {
            XCTAssertEqual($0 as? BodyError, .malformedChunks("invalid chunk size"))
        }
        XCTAssertThrowsError(try reader.feed(Array("0\r\n\r\n".utf8), payload: true))
        XCTAssertThrowsError(try reader.endOfInput()) { XCTAssertEqual($0 as? BodyError, .malformedChunks("invalid chunk size")) }
        var cut = MessageBodyReader(framing: .length(2))
        XCTAssertThrowsError(try cut.endOfInput())
        XCTAssertThrowsError(try cut.feed(Array("ab".utf8), payload: true)) {
            XCTAssertEqual($0 as? BodyError, .truncated("ended after 0 of 2 bytes"))
        }
    }

    func testFeedingAfterTheEndTakesNothing() throws {
        var reader = MessageBodyReader(framing: .length(2))
        XCTAssertEqual(try reader.feed(Array("abc".utf8), payload: true), BodyStep(consumed: 2, payload: Array("ab".utf8), done: true))
        XCTAssertEqual(try reader.feed(Array("c".utf8), payload: true), BodyStep(consumed: 0, payload: [], done: true))
        XCTAssertNoThrow(try reader.endOfInput())
    }

    func testErrorMessagesSayWhatWasWrong() {
        XCTAssertEqual(BodyError.invalidFraming("conflicting content-length").message,
                       "invalid response framing: conflicting content-length")
        XCTAssertEqual(BodyError.malformedChunks("chunk size too large").message,
                       "invalid chunked response body: chunk size too large")
        XCTAssertEqual(BodyError.truncated("ended after 3 of 5 bytes").message,
                       "response body cut short: ended after 3 of 5 bytes")
    }
}

// Decoding gzip and deflate bodies: the formats a server may send, concatenated
// members, bytes after the end, truncation, corruption and the output limit, each
// checked at every split of its input.

import XCTest
@testable import HMRCore

final class BodyInflaterTests: XCTestCase {
    /// Feeds `piecing` and finishes; the bytes decoded, or the first failure.
    func decode(_ piecing: Piecing, _ coding: ContentCoding, limit: Int = BodyInflater.defaultOutputLimit)
        -> Result<[UInt8], InflateError> {
        let inflater = BodyInflater(encoding: coding, outputLimit: limit)
        var output: [UInt8] = []
        do {
            for piece in piecing.pieces { output += try inflater.feed(piece) }
            try inflater.finish()
            return .success(output)
        } catch {
            return .failure(error)
        }
    }

    /// Asserts `input` decodes to `expected` in one piece, at every split and byte by byte.
    func assertDecodes(_ input: [UInt8], _ coding: ContentCoding, limit: Int = BodyInflater.defaultOutputLimit,
                       gives expected: Result<[UInt8], InflateError>, file: StaticString = #filePath, line: UInt = #line) {
        for piecing in Piecing.all(input) {
            XCTAssertEqual(decode(piecing, coding, limit: limit), expected, piecing.name, file: file, line: line)
        }
    }

    func testGzipBodyIsDecoded() {
        assertDecodes(Compressed.gzip, .gzip, gives: .success(Compressed.page))
    }

    func testDeflateBodyIsDecodedWhetherZlibWrappedOrRaw() {
        assertDecodes(Compressed.zlib, .deflate, gives: .success(Compressed.page))
        assertDecodes(Compressed.raw, .deflate, gives: .success(Compressed.page))
    }

    func testEveryCompressionLevelIsDecoded() {
        let text = TestCompressor.text(bytes: 3000)
        for level: Int32 in [0, 1, 6, 9] {
            XCTAssertEqual(decode(Piecing.sized(TestCompressor.compress(text, as: .gzip, level: level), 7), .gzip),
                           .success(text), "gzip level \(level)")
            XCTAssertEqual(decode(Piecing.sized(TestCompressor.compress(text, as: .zlib, level: level), 7), .deflate),
                           .success(text), "zlib level \(level)")
            XCTAssertEqual(decode(Piecing.sized(TestCompressor.compress(text, as: .raw, level: level), 7), .deflate),
                           .success(text), "raw level \(level)")
        }
    }

    func testALargerBodyDecodesTheSameAtEverySplit() {
        let text = TestCompressor.text(bytes: 4000)
        assertDecodes(TestCompressor.compress(text, as: .gzip), .gzip, gives: .success(text))
        assertDecodes(TestCompressor.compress(text, as: .raw, level: 0), .deflate, gives: .success(text))
    }

    func testAMegabyteStreamsThroughInSmallPieces() {
        let text = TestCompressor.text(bytes: 1 << 20)
        XCTAssertEqual(decode(Piecing.sized(TestCompressor.compress(text, as: .gzip), 1000), .gzip), .success(text))
    }

    func testEmptyStreamsAndAnEmptyBodyDecodeToNothing() {
        assertDecodes(Compressed.gzipEmpty, .gzip, gives: .success([]))
        assertDecodes(Compressed.zlibEmpty, .deflate, gives: .success([]))
        assertDecodes(Compressed.rawEmpty, .deflate, gives: .success([]))
        assertDecodes([], .gzip, gives: .success([]))
        assertDecodes([], .deflate, gives: .success([]))
    }

    func testConcatenatedGzipMembersAreJoined() {
        let hi = Array("hi\n".utf8)
        assertDecodes(Compressed.gzip + Compressed.gzipHi, .gzip, gives: .success(Compressed.page + hi))
        assertDecodes(Compressed.gzipHi + Compressed.gzipEmpty + Compressed.gzipHi, .gzip, gives: .success(hi + hi))
    }

    func testBytesAfterTheCompressedDataAreIgnored() {
        for garbage: [UInt8] in [[0], [0, 0, 0, 0], Array("garbage".utf8), [0x1F], [0x1F, 0x00, 0x1F, 0x8B]] {
            assertDecodes(Compressed.gzip + garbage, .gzip, gives: .success(Compressed.page))
            assertDecodes(Compressed.zlib + garbage, .deflate, gives: .success(Compressed.page))
            assertDecodes(Compressed.raw + garbage, .deflate, gives: .success(Compressed.page))
        }
        assertDecodes(Compressed.gzip + Compressed.gzipHi + [0x0A], .gzip, gives: .success(Compressed.page + Array("hi\n".utf8)))
    }

    func testABodyCutShortFailsWhenItEnds() {
        let cases: [([UInt8], ContentCoding)] = [(Compressed.gzip, .gzip), (Compressed.zlib, .deflate),
                                                 (Compressed.raw, .deflate), (Compressed.gzip + Compressed.gzipHi, .gzip)]
        for (input, coding) in cases {
            // Cut after a whole member, or one byte into the next (garbage
            // or a member: it cannot tell), what came is all there is.
            for end in 1..<input.count where ![Compressed.gzip.count, Compressed.gzip.count + 1].contains(end) {
                XCTAssertEqual(decode(Piecing(name: "", pieces: [Array(input[..<end])]), coding),
                               .failure(.truncated(coding)), "cut at \(end)")
            }
        }
    }

    func testCorruptDataFailsWithZlibsReason() {
        assertDecodes(Array("<html>not gzip</html>".utf8), .gzip, gives: .failure(.corrupt(.gzip, reason: "incorrect header check")))
        var badChecksum = Compressed.gzip
        badChecksum[badChecksum.count - 8] ^= 0xFF
        assertDecodes(badChecksum, .gzip, gives: .failure(.corrupt(.gzip, reason: "incorrect data check")))
        var badLength = Compressed.gzip
        badLength[badLength.count - 4] ^= 0x01
        assertDecodes(badLength, .gzip, gives: .failure(.corrupt(.gzip, reason: "incorrect length check")))
        var badAdler = Compressed.zlib
        badAdler[badAdler.count - 1] ^= 0xFF
        assertDecodes(badAdler, .deflate, gives: .failure(.corrupt(.deflate, reason: "incorrect data check")))
        // 0xFF is neither a zlib header nor a valid raw block (type 3).
        assertDecodes([0xFF, 0xFF, 0xFF], .deflate, gives: .failure(.corrupt(.deflate, reason: "invalid block type")))
    }

    func testZlibStreamWantingAPresetDictionaryIsRefused() {
        // 0x78 0xBB: a zlib header with FDICT set, then the dictionary's id.
        assertDecodes([0x78, 0xBB, 0x00, 0x00, 0x00, 0x01, 0x03, 0x00], .deflate,
                      gives: .failure(.corrupt(.deflate, reason: "needs a preset dictionary")))
    }

    func testOutputOverTheLimitFailsAndAtTheLimitDoesNot() {
        let size = Compressed.page.count
        assertDecodes(Compressed.gzip, .gzip, limit: size, gives: .success(Compressed.page))
        assertDecodes(Compressed.gzip, .gzip, limit: size - 1, gives: .failure(.tooLarge(limit: size - 1)))
        assertDecodes(Compressed.raw, .deflate, limit: 0, gives: .failure(.tooLarge(limit: 0)))
        XCTAssertEqual(BodyInflater.defaultOutputLimit, 64 * 1024 * 1024)
    }

    func testABombStopsNearTheLimitWithoutDecodingItAll() throws {
        let bomb = TestCompressor.compress([UInt8](repeating: 0, count: 16 << 20), as: .gzip, level: 9)
        XCTAssertLessThan(bomb.count, 20_000)
        let inflater = BodyInflater(encoding: .gzip, outputLimit: 1 << 20)
        var decoded = 0
        XCTAssertThrowsError(try {
            for piece in Piecing.sized(bomb, 4096).pieces { decoded += try inflater.feed(piece).count }
        }()) { XCTAssertEqual($0 as? InflateError, .tooLarge(limit: 1 << 20)) }
        XCTAssertLessThanOrEqual(decoded, 1 << 20)
        XCTAssertLessThanOrEqual(inflater.outputCount, (1 << 20) + BodyInflater.scratchBytes)
    }

    func testTheLimitMayBeRaisedBetweenFeeds() throws {
        let inflater = BodyInflater(encoding: .deflate, outputLimit: 0)
        inflater.outputLimit = 100
        XCTAssertEqual(try inflater.feed(Compressed.zlib), Compressed.page)
        XCTAssertNoThrow(try inflater.finish())
    }

    func testAFailureIsFinal() {
        let inflater = BodyInflater(encoding: .gzip)
        let corrupt = InflateError.corrupt(.gzip, reason: "incorrect header check")
        XCTAssertThrowsError(try inflater.feed(Array("nope".utf8))) { XCTAssertEqual($0 as? InflateError, corrupt) }
        XCTAssertThrowsError(try inflater.feed(Compressed.gzip)) { XCTAssertEqual($0 as? InflateError, corrupt) }
        XCTAssertThrowsError(try inflater.finish()) { XCTAssertEqual($0 as? InflateError, corrupt) }
        let cut = BodyInflater(encoding: .deflate)
        XCTAssertEqual(try cut.feed(Array(Compressed.zlib.prefix(10))), Array("<html>".utf8) + [0x3C])
        XCTAssertThrowsError(try cut.finish()) { XCTAssertEqual($0 as? InflateError, .truncated(.deflate)) }
        XCTAssertThrowsError(try cut.finish()) { XCTAssertEqual($0 as? InflateError, .truncated(.deflate)) }
    }

    func testOutputComesOutAsTheInputArrives() throws {
        let text = TestCompressor.text(bytes: 100_000)
        let compressed = TestCompressor.compress(text, as: .gzip)
        let inflater = BodyInflater(encoding: .gzip)
        let firstHalf = try inflater.feed(Array(compressed.prefix(compressed.count / 2)))
        XCTAssertGreaterThan(firstHalf.count, 10_000, "decoded before the rest arrived")
        XCTAssertEqual(firstHalf + (try inflater.feed(Array(compressed.dropFirst(compressed.count / 2)))), text)
    }

    func testErrorMessagesNameTheCodingAndTheKnob() {
        XCTAssertEqual(InflateError.corrupt(.gzip, reason: "incorrect header check").message,
                       "gzip body is corrupt: incorrect header check")
        XCTAssertEqual(InflateError.truncated(.deflate).message, "deflate body ended before its compressed stream did")
        XCTAssertEqual(InflateError.tooLarge(limit: 67_108_864).message,
                       "decoded body is larger than 67108864 bytes (BodyInflater.outputLimit)")
        XCTAssertEqual(InflateError.zlib("out of memory").message, "zlib failed: out of memory")
    }
}

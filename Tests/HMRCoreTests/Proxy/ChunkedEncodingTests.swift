// Writing chunks: exact bytes, no terminator by accident, and a round trip
// through the reader that the proxy uses on the other side.

import XCTest
@testable import HMRCore

final class ChunkedEncodingTests: XCTestCase {
    func testAChunkIsItsHexSizeTheBytesAndCRLFs() {
        XCTAssertEqual(ChunkedEncoding.chunk(Array("hello".utf8)), Array("5\r\nhello\r\n".utf8))
        XCTAssertEqual(ChunkedEncoding.chunk("abcdefghijklmnopqrstuvwxyz".utf8),
                       Array("1a\r\nabcdefghijklmnopqrstuvwxyz\r\n".utf8))
        XCTAssertEqual(ChunkedEncoding.chunk([0x00, 0x0D, 0x0A]), [0x33, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x0D, 0x0A])
        let big = [UInt8](repeating: 0x78, count: 4096)
        XCTAssertEqual(ChunkedEncoding.chunk(big), Array("1000\r\n".utf8) + big + [0x0D, 0x0A])
        XCTAssertEqual(ChunkedEncoding.chunk(Array("xhix".utf8).dropFirst().dropLast()), Array("2\r\nhi\r\n".utf8))
    }

    func testNoBytesMakeNoChunkRatherThanTheLastOne() {
        XCTAssertEqual(ChunkedEncoding.chunk([UInt8]()), [])
        XCTAssertEqual(ChunkedEncoding.chunk("".utf8), [])
    }

    func testTheLastChunkEndsTheBodyWithAnEmptyTrailerSection() {
        XCTAssertEqual(ChunkedEncoding.last, Array("0\r\n\r\n".utf8))
    }

    func testChunksReadBackAsTheBytesTheyCarry() throws {
        let pieces = ["<html>", "", "<body>", String(repeating: "é", count: 300), "</body>"]
        let encoded = pieces.flatMap { ChunkedEncoding.chunk($0.utf8) } + ChunkedEncoding.last
        var reader = MessageBodyReader(framing: .chunked)
        let step = try reader.feed(encoded, payload: true)
        XCTAssertEqual(step, BodyStep(consumed: encoded.count, payload: Array(pieces.joined().utf8), done: true))
    }
}

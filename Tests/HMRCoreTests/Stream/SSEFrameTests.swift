import XCTest
@testable import HMRCore

final class SSEFrameTests: XCTestCase {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    func testOneLineDataIsOneFrameWithItsID() {
        XCTAssertEqual(text(SSEFrame.event(id: "7", data: "{\"a\":1}")), "id: 7\ndata: {\"a\":1}\n\n")
    }

    func testLineFeedsSplitDataIntoSeveralDataLines() {
        XCTAssertEqual(text(SSEFrame.event(id: "1", data: "a\nb")), "id: 1\ndata: a\ndata: b\n\n")
    }

    func testCarriageReturnAloneEndsALine() {
        XCTAssertEqual(text(SSEFrame.event(id: "1", data: "a\rb")), "id: 1\ndata: a\ndata: b\n\n")
    }

    func testCarriageReturnLineFeedEndsOneLineNotTwo() {
        XCTAssertEqual(text(SSEFrame.event(id: "1", data: "a\r\nb")), "id: 1\ndata: a\ndata: b\n\n")
    }

    func testMixedBreaksAndEmptyLinesAreAllKept() {
        XCTAssertEqual(text(SSEFrame.event(id: "2", data: "a\r\r\nb\n\nc")),
                       "id: 2\ndata: a\ndata: \ndata: b\ndata: \ndata: c\n\n")
    }

    func testDataEndingInABreakEndsWithAnEmptyDataLine() {
        XCTAssertEqual(text(SSEFrame.event(id: nil, data: "a\n")), "data: a\ndata: \n\n")
    }

    func testEmptyDataIsOneEmptyDataLine() {
        XCTAssertEqual(text(SSEFrame.event(id: nil, data: "")), "data: \n\n")
    }

    func testHeartbeatIsTheBytesWebpackHotMiddlewareSends() {
        XCTAssertEqual(SSEFrame.heartbeat, [0x64, 0x61, 0x74, 0x61, 0x3A, 0x20, 0xF0, 0x9F, 0x92, 0x93, 0x0A, 0x0A])
    }

    func testRetryOpensTheBody() {
        XCTAssertEqual(text(SSEFrame.retry(milliseconds: 1000)), "retry: 1000\n\n")
    }

    func testNonASCIIDataPassesThroughUnchanged() {
        XCTAssertEqual(text(SSEFrame.event(id: "3", data: "é💓")), "id: 3\ndata: é💓\n\n")
    }
}

/// The fast path (data without a line break, copied whole) against the line-by-line rules.
final class SSEFrameFastPathTests: XCTestCase {
    /// The frame as the SSE rules describe it: one `data:` line per line of data.
    private func reference(id: String, data: String) -> [UInt8] {
        var lines: [[UInt8]] = [[]]
        var previousWasCR = false
        for byte in data.utf8 {
            defer { previousWasCR = byte == 0x0D }
            if byte == 0x0A && previousWasCR { continue }
            if byte == 0x0A || byte == 0x0D { lines.append([]) } else { lines[lines.count - 1].append(byte) }
        }
        var out = Array("id: \(id)\n".utf8)
        for line in lines { out += Array("data: ".utf8) + line + [0x0A] }
        return out + [0x0A]
    }

    func testALongOneLinePayloadIsOneDataLine() {
        let data = "{\"modules\":{" + String(repeating: "\"d00/f000.bin\":\"9f1c2e7a3b5d4c61\",", count: 5_000) + "}}"
        let frame = SSEFrame.event(id: "42", data: data)
        XCTAssertEqual(frame, Array("id: 42\ndata: \(data)\n\n".utf8))
        XCTAssertEqual(frame, reference(id: "42", data: data))
    }

    func testABreakAtAnyOffsetAroundTheEightByteStepIsFound() {
        for length in 1...25 {
            for at in 0..<length {
                for brk in ["\n", "\r", "\r\n"] {
                    var chars = Array(repeating: "x", count: length)
                    chars[at] = brk
                    let data = chars.joined()
                    XCTAssertEqual(SSEFrame.event(id: "1", data: data), reference(id: "1", data: data),
                                   "\(length) \(at) \(brk.debugDescription)")
                }
            }
        }
    }

    func testBytesNextToTheBreaksAreNotBreaks() {
        let data = "\u{09}\u{0B}\u{0C}\u{0E}\u{8A}\u{8D}é💓\u{2028}" + String(repeating: "\u{0B}", count: 17)
        XCTAssertEqual(SSEFrame.event(id: "5", data: data), Array("id: 5\ndata: \(data)\n\n".utf8))
    }
}

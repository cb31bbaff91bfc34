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

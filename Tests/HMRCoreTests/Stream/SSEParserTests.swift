import XCTest
@testable import HMRCore

final class SSEParserTests: XCTestCase {
    private func events(_ text: String) -> [SSEEvent] {
        var parser = SSEParser()
        return parser.feed(Array(text.utf8))
    }

    func testAFrameAsSSEFrameWritesItIsOneEventWithItsID() {
        var parser = SSEParser()
        let got = parser.feed(SSEFrame.retry(milliseconds: 1000) + SSEFrame.event(id: "7", data: #"{"a":1}"#))
        XCTAssertEqual(got, [SSEEvent(data: #"{"a":1}"#, lastEventID: "7")])
        XCTAssertEqual(parser.retry, 1000)
    }

    func testDataWithLineBreaksComesBackJoinedWithLineFeeds() {
        var parser = SSEParser()
        XCTAssertEqual(parser.feed(SSEFrame.event(id: "1", data: "a\r\nb\rc\nd")).map(\.data), ["a\nb\nc\nd"])
    }

    func testTheHeartbeatIsAnEventWhoseDataIsTheHeart() {
        var parser = SSEParser()
        XCTAssertEqual(parser.feed(SSEFrame.heartbeat).map(\.data), ["💓"])
    }

    func testBytesSplitAnywhereGiveTheSameEvents() {
        let stream = SSEFrame.retry(milliseconds: 1000) + SSEFrame.event(id: "1", data: "é\r\n💓")
            + Array("id: 2\r\ndata: x\r\n\r\n".utf8) + SSEFrame.heartbeat
        var whole = SSEParser()
        let expected = whole.feed(stream)
        XCTAssertEqual(expected.count, 3)
        for cut in 0...stream.count {
            var parser = SSEParser()
            let got = parser.feed(stream[..<cut]) + parser.feed(stream[cut...])
            XCTAssertEqual(got, expected, "cut at \(cut)")
        }
        var byteByByte = SSEParser()
        XCTAssertEqual(stream.flatMap { byteByByte.feed([$0]) }, expected)
    }

    func testCRLFAndLoneCRAndLFAllEndLines() {
        XCTAssertEqual(events("data: a\r\n\r\ndata: b\r\rdata: c\n\n").map(\.data), ["a", "b", "c"])
    }

    func testCommentsAndUnknownFieldsAreSkipped() {
        XCTAssertEqual(events(": ping\nfoo: bar\ndata: x\n\n").map(\.data), ["x"])
    }

    func testABlockWithoutDataDispatchesNothingButKeepsItsID() {
        XCTAssertEqual(events("id: 5\n\ndata: x\n\n"), [SSEEvent(data: "x", lastEventID: "5")])
    }

    func testAnEmptyDataLineIsAnEventWithEmptyData() {
        XCTAssertEqual(events("data\n\n").map(\.data), [""])
        XCTAssertEqual(events("data:\ndata:\n\n").map(\.data), ["\n"])
    }

    func testOnlyOneSpaceAfterTheColonIsDropped() {
        XCTAssertEqual(events("data:  two\n\ndata:none\n\n").map(\.data), [" two", "none"])
    }

    func testTheEventFieldNamesTheTypeForOneEvent() {
        XCTAssertEqual(events("event: ping\ndata: 1\n\ndata: 2\n\n").map(\.type), ["ping", "message"])
    }

    func testAnIDWithNULIsIgnored() {
        XCTAssertEqual(events("id: 1\n\nid: a\u{0}b\ndata: x\n\n").map(\.lastEventID), ["1"])
    }

    func testABadRetryIsIgnored() {
        var parser = SSEParser()
        _ = parser.feed(Array("retry: 10x\n\n".utf8))
        XCTAssertNil(parser.retry)
    }

    func testALeadingByteOrderMarkIsNotPartOfTheFirstField() {
        XCTAssertEqual(events("\u{FEFF}data: x\n\n").map(\.data), ["x"])
    }

    func testAnUnfinishedEventWaitsForItsBlankLine() {
        var parser = SSEParser()
        XCTAssertEqual(parser.feed(Array("data: x\n".utf8)), [])
        XCTAssertEqual(parser.feed(Array("\n".utf8)).map(\.data), ["x"])
    }
}

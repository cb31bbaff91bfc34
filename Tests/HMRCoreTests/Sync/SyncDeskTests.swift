// A ghost sync action from its body to the answer and the frame.

import XCTest
@testable import HMRCore

final class SyncDeskTests: XCTestCase {
    func testAnActionIsSentOnAnd204AndWhatIsNotIs400() {
        var desk = SyncDesk()
        let taken = desk.receive(Array(##"{"page":"p","url":"http://l/","kind":"click","target":"#go"}"##.utf8), now: 0)
        XCTAssertEqual(taken, SyncDesk.Verdict(status: .noContent, reason: nil,
                                               frame: ##"{"action":"ghost","from":"p","kind":"click","target":"#go"}"##))
        let bad = desk.receive(Array("[]".utf8), now: 0)
        XCTAssertEqual(bad.status, .badRequest)
        XCTAssertEqual(bad.reason, "not a ghost sync action: the body is not a JSON object")
        XCTAssertNil(bad.frame)
    }

    func testAPageHasThreeTimesTheReportsRateAndItsDropsAreOneLine() {
        var desk = SyncDesk()
        let scroll = Array(##"{"page":"p","url":"http://l/","kind":"scroll","x":0,"y":0.5}"##.utf8)
        let statuses = (0..<70).map { _ in desk.receive(scroll, now: 0).status.code }
        XCTAssertEqual(statuses.filter { $0 == 204 }.count, 60)
        XCTAssertEqual(desk.receive(scroll, now: 34).status.code, 204, "30 a second after the burst")
        XCTAssertEqual(desk.tick(now: 1_000), [.ghostDropped(url: "http://l/", count: 10)])
        XCTAssertEqual(LogFormatter(settings: LogSettings()).line(for: .ghostDropped(url: "http://l/", count: 10), epochMilliseconds: 0)?.text,
                       "[hmrd] warning: dropped 10 ghost sync actions of http://l/: more than 30 a second (answered 429)\n")
    }
}

// Ghost sync's actions: each kind read and written out anew as its frame, and every
// way a body is refused.

import XCTest
@testable import HMRCore

final class GhostActionTests: XCTestCase {
    private func frame(_ json: String) -> String? {
        guard case .success(let action) = GhostAction.parse(Array(json.utf8)) else { return nil }
        return action.frameJSON
    }

    func testEachKindBecomesItsFrameWithOnlyItsFields() {
        XCTAssertEqual(frame(##"{"page":"p1","url":"http://l/","kind":"scroll","x":0,"y":0.50004,"extra":"dropped"}"##),
                       ##"{"action":"ghost","from":"p1","kind":"scroll","x":0,"y":0.5}"##)
        XCTAssertEqual(frame(##"{"page":"p1","kind":"scroll","x":1,"y":0.12345}"##),
                       ##"{"action":"ghost","from":"p1","kind":"scroll","x":1,"y":0.1235}"##)
        XCTAssertEqual(frame(##"{"page":"p1","kind":"click","target":"#app > button:nth-of-type(2)"}"##),
                       ##"{"action":"ghost","from":"p1","kind":"click","target":"#app > button:nth-of-type(2)"}"##)
        XCTAssertEqual(frame(##"{"page":"p1","kind":"input","target":"input[name=\"q\"]","value":"héllo\n"}"##),
                       ##"{"action":"ghost","from":"p1","kind":"input","target":"input[name=\"q\"]","value":"héllo\n"}"##)
        XCTAssertEqual(frame(##"{"page":"p1","kind":"check","target":"#ok","checked":true}"##),
                       ##"{"action":"ghost","from":"p1","kind":"check","target":"#ok","checked":true}"##)
        XCTAssertEqual(frame(##"{"page":"p1","kind":"select","target":"#s","values":["a","b"]}"##),
                       ##"{"action":"ghost","from":"p1","kind":"select","target":"#s","values":["a","b"]}"##)
        XCTAssertEqual(frame(##"{"page":"p1","kind":"submit","target":"#f"}"##),
                       ##"{"action":"ghost","from":"p1","kind":"submit","target":"#f"}"##)
        XCTAssertEqual(frame(##"{"page":"p1","kind":"navigate","to":"/about.html?x=1#top"}"##),
                       ##"{"action":"ghost","from":"p1","kind":"navigate","to":"/about.html?x=1#top"}"##)
    }

    func testWhatIsNotAnActionIsRefusedSayingWhy() {
        let rows: [(String, String, UInt)] = [
            ("{", "the body is not JSON", #line),
            (##"{"kind":"click","target":"#a"}"##, "`page` must be", #line),
            (##"{"page":"p","kind":"dance"}"##, "`kind` must be", #line),
            (##"{"page":"p","kind":"scroll","x":1.5,"y":0}"##, "`x` and `y` must be numbers from 0 to 1", #line),
            (##"{"page":"p","kind":"scroll","x":"0","y":0}"##, "`x` and `y`", #line),
            (##"{"page":"p","kind":"click"}"##, "`target` must be", #line),
            (##"{"page":"p","kind":"click","target":""}"##, "`target` must be", #line),
            (##"{"page":"p","kind":"click","target":"\##(String(repeating: "a", count: 1025))"}"##, "`target` must be", #line),
            (##"{"page":"p","kind":"input","target":"#a"}"##, "`value` must be", #line),
            (##"{"page":"p","kind":"check","target":"#a","checked":"yes"}"##, "`checked` must be", #line),
            (##"{"page":"p","kind":"select","target":"#a","values":"a"}"##, "`values` must be", #line),
            (##"{"page":"p","kind":"navigate","to":"https://evil.example/"}"##, "`to` must be a path of the site", #line),
            (##"{"page":"p","kind":"navigate","to":"//evil.example/"}"##, "`to` must be a path of the site", #line),
            (##"{"page":"p","kind":"navigate","to":"/\\evil.example/"}"##, "`to` must be a path of the site", #line),
            (##"{"page":"p","kind":"navigate","to":"/a\u001b"}"##, "`to` must be a path of the site", #line),
        ]
        for (json, reason, line) in rows {
            guard case .failure(let problem) = GhostAction.parse(Array(json.utf8)) else { XCTFail("took \(json)", line: line); continue }
            XCTAssertTrue(problem.description.hasPrefix(reason), "\(json): \(problem)", line: line)
        }
    }
}

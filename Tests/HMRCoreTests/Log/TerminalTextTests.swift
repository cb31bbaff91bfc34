import XCTest
@testable import HMRCore

final class TerminalTextTests: XCTestCase {
    func testPlainTextIsUnchanged() {
        XCTAssertEqual(TerminalText.safe("src/é 💓.css"), "src/é 💓.css")
    }

    func testEveryControlCharacterBecomesAVisibleEscape() {
        XCTAssertEqual(TerminalText.safe("a\u{1B}[2Jb"), "a\\x1B[2Jb")
        XCTAssertEqual(TerminalText.safe("\n\r\t\u{00}\u{7F}\u{85}"), "\\n\\r\\t\\x00\\x7F\\x85")
    }

    func testASummaryNamesThreePathsAndCountsTheRest() {
        XCTAssertEqual(TerminalText.summary(of: []), "")
        XCTAssertEqual(TerminalText.summary(of: ["a", "b"]), "a, b")
        XCTAssertEqual(TerminalText.summary(of: ["a", "b", "c", "d"]), "a, b, c and 1 more")
        XCTAssertEqual(TerminalText.summary(of: (1...150).map(String.init)), "1, 2, 3 and 147 more")
    }

    func testCountsAreSingularForOne() {
        XCTAssertEqual(TerminalText.count(0, "client"), "0 clients")
        XCTAssertEqual(TerminalText.count(1, "client"), "1 client")
        XCTAssertEqual(TerminalText.count(2, "build"), "2 builds")
    }
}

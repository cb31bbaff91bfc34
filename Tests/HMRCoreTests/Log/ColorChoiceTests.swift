import XCTest
@testable import HMRCore

final class ColorChoiceTests: XCTestCase {
    private func enabled(tty: Bool, noColor: String? = nil, force: String? = nil, term: String? = "xterm-256color") -> Bool {
        ColorChoice.enabled(isTerminal: tty, noColor: noColor, forceColor: force, term: term)
    }

    func testATerminalGetsColoursAndAPipeDoesNot() {
        XCTAssertTrue(enabled(tty: true))
        XCTAssertFalse(enabled(tty: false))
    }

    func testNoColorWithAnyValueTurnsThemOff() {
        XCTAssertFalse(enabled(tty: true, noColor: "1"))
        XCTAssertFalse(enabled(tty: true, noColor: "0"))
        XCTAssertFalse(enabled(tty: true, noColor: "1", force: "1"))
    }

    func testAnEmptyNoColorIsIgnored() {
        XCTAssertTrue(enabled(tty: true, noColor: ""))
    }

    func testForceColorColoursAPipe() {
        XCTAssertTrue(enabled(tty: false, force: "1"))
        XCTAssertTrue(enabled(tty: false, force: "3"))
        XCTAssertFalse(enabled(tty: false, force: ""))
    }

    func testForceColorZeroOrFalseTurnsThemOffEvenOnATerminal() {
        XCTAssertFalse(enabled(tty: true, force: "0"))
        XCTAssertFalse(enabled(tty: true, force: "false"))
    }

    func testADumbTerminalGetsNoneUnlessForced() {
        XCTAssertFalse(enabled(tty: true, term: "dumb"))
        XCTAssertTrue(enabled(tty: true, force: "1", term: "dumb"))
        XCTAssertTrue(enabled(tty: true, term: nil))
    }
}

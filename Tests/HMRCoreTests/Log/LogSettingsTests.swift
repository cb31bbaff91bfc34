import XCTest
@testable import HMRCore

final class LogSettingsTests: XCTestCase {
    func testTextPassesTheBuildOutputThroughUnchanged() {
        XCTAssertEqual(LogSettings().buildEcho, .unchanged)
        XCTAssertEqual(LogSettings(threshold: .debug).buildEcho, .unchanged)
    }

    func testJSONSendsTheBuildOutputToStderrSoStdoutStaysJSON() {
        XCTAssertEqual(LogSettings(format: .json).buildEcho, .allToStderr)
    }

    func testQuietHoldsTheBuildOutputBackInEitherFormat() {
        XCTAssertEqual(LogSettings(threshold: .notice).buildEcho, .held)
        XCTAssertEqual(LogSettings(format: .json, threshold: .notice).buildEcho, .held)
    }

    func testLevelsAreOrderedFromDetailToErrors() {
        XCTAssertEqual(LogLevel.allCases.sorted(), [.debug, .info, .notice, .warning, .error])
        XCTAssertEqual(LogLevel.allCases.map(\.name), ["debug", "info", "notice", "warning", "error"])
    }
}

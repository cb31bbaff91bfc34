import XCTest
@testable import HMRCore

final class OutputTailTests: XCTestCase {
    private func tail(_ text: String) -> OutputTail {
        var t = OutputTail()
        Array(text.utf8).withUnsafeBytes { t.append($0) }
        return t
    }

    func testShortOutputIsKeptWhole() {
        XCTAssertEqual(tail("a.css:1: error\n").text, "a.css:1: error\n")
    }

    func testLongOutputKeepsItsLastLinesFromALineStartMarkedAsCut() {
        let line = String(repeating: "x", count: 99) + "\n"
        let text = tail(String(repeating: line, count: 1_000) + "last\n").text
        XCTAssertTrue(text.hasPrefix("…\n" + line))
        XCTAssertTrue(text.hasSuffix("last\n"))
        XCTAssertLessThanOrEqual(text.utf8.count, OutputTail.limit + 4)
    }

    func testOutputFedInManyPiecesIsBoundedAsItComes() {
        var t = OutputTail()
        let chunk = Array(String(repeating: "y", count: 1_000).utf8)
        for _ in 0..<1_000 { chunk.withUnsafeBytes { t.append($0) } }
        XCTAssertLessThanOrEqual(t.text.utf8.count, OutputTail.limit + 4)
    }
}

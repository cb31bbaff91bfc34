import XCTest
@testable import HMRCore

final class DurationParserTests: XCTestCase {
    func testUnitsAndBareMilliseconds() throws {
        XCTAssertEqual(try DurationParser.milliseconds("250ms"), 250)
        XCTAssertEqual(try DurationParser.milliseconds("10s"), 10_000)
        XCTAssertEqual(try DurationParser.milliseconds("2m"), 120_000)
        XCTAssertEqual(try DurationParser.milliseconds("75"), 75)
        XCTAssertEqual(try DurationParser.milliseconds("0"), 0)
    }

    func testGarbageIsRefusedWithAMessageShowingTheForm() {
        for bad in ["", "ms", "s", "1.5s", "-1s", " 1s", "1 s", "10h", "1sm", "abc", "+5", "9999999999", "１s"] {
            XCTAssertThrowsError(try DurationParser.milliseconds(bad), bad) { error in
                XCTAssertTrue("\(error)".contains("such as 250ms, 10s or 2m"))
            }
        }
    }

    func testFormatUsesTheLargestWholeUnit() {
        XCTAssertEqual(DurationParser.format(milliseconds: 120_000), "2m")
        XCTAssertEqual(DurationParser.format(milliseconds: 5_000), "5s")
        XCTAssertEqual(DurationParser.format(milliseconds: 1_500), "1500ms")
    }
}

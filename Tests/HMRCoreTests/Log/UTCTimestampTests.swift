import XCTest
@testable import HMRCore

final class UTCTimestampTests: XCTestCase {
    func testTheEpochIsMidnightOfNewYear1970() {
        XCTAssertEqual(UTCTimestamp.iso8601(epochMilliseconds: 0), "1970-01-01T00:00:00.000Z")
    }

    func testMillisecondsAreKeptWithThreeDigits() {
        XCTAssertEqual(UTCTimestamp.iso8601(epochMilliseconds: 1_700_000_000_042), "2023-11-14T22:13:20.042Z")
        XCTAssertEqual(UTCTimestamp.iso8601(epochMilliseconds: 1_700_000_000_999), "2023-11-14T22:13:20.999Z")
    }

    func testLeapDaysAndCenturyRulesAreRight() {
        // 2000-02-29 (a leap year by the 400 rule) and 2100-03-01 (2100 is not a leap year).
        XCTAssertEqual(UTCTimestamp.iso8601(epochMilliseconds: 951_782_400_000), "2000-02-29T00:00:00.000Z")
        XCTAssertEqual(UTCTimestamp.iso8601(epochMilliseconds: 4_107_542_400_000), "2100-03-01T00:00:00.000Z")
        XCTAssertEqual(UTCTimestamp.iso8601(epochMilliseconds: 1_709_251_199_000), "2024-02-29T23:59:59.000Z")
    }

    func testTimesBeforeTheEpochRoundDown() {
        XCTAssertEqual(UTCTimestamp.iso8601(epochMilliseconds: -1), "1969-12-31T23:59:59.999Z")
    }

    func testEveryDayOfFourHundredYearsMatchesADayByDayCount() {
        // Walk the calendar one day at a time and compare with the closed-form conversion.
        var (year, month, day) = (1970, 1, 1)
        for days in 0..<(146_097) {
            XCTAssertTrue(UTCTimestamp.civil(fromDays: days) == (year, month, day), "day \(days)")
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            day += 1
            if day > length { day = 1; month += 1 }
            if month > 12 { month = 1; year += 1 }
        }
    }
}

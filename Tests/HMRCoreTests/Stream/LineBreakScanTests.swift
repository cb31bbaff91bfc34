import XCTest
@testable import HMRCore

final class LineBreakScanTests: XCTestCase {
    private func firstBreak(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { LineBreakScan.firstBreak(in: $0) }
    }

    func testEmptyAndBreaklessBuffersHaveNoBreak() {
        XCTAssertNil(firstBreak([]))
        XCTAssertNil(firstBreak(Array(repeating: 0x61, count: 1_000)))
    }

    func testTheFirstOfSeveralBreaksIsFoundAtEveryOffset() {
        for length in 1...40 {
            for at in 0..<length {
                for byte: UInt8 in [0x0A, 0x0D] {
                    var bytes = Array(repeating: UInt8(0x61), count: length)
                    bytes[at] = byte
                    if at + 3 < length { bytes[at + 3] = 0x0A }
                    XCTAssertEqual(firstBreak(bytes), at, "\(length) \(at)")
                }
            }
        }
    }

    func testEveryOtherByteValueIsNotABreak() {
        let others = (0...255).map(UInt8.init).filter { $0 != 0x0A && $0 != 0x0D }
        XCTAssertNil(firstBreak(others))
        XCTAssertEqual(firstBreak(others + [0x0D]), others.count)
    }
}

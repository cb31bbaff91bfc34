import XCTest
@testable import HMRCore

final class RecentContentsTests: XCTestCase {
    func testAFileIsFoundByItsContentHash() {
        var contents = RecentContents()
        contents.record(hash: "00000000000000aa", bytes: Array("a {}".utf8))
        XCTAssertEqual(contents.bytes(of: "00000000000000aa"), Array("a {}".utf8))
        XCTAssertNil(contents.bytes(of: "00000000000000bb"))
    }

    func testTheOldestGoFirstOnceTheBudgetIsSpent() {
        var contents = RecentContents()
        let size = RecentContents.maxFileBytes
        let count = RecentContents.byteBudget / size
        for n in 0..<count { contents.record(hash: String(n), bytes: [UInt8](repeating: 1, count: size)) }
        contents.record(hash: "0", bytes: [1])  // seen again: the newest now, not the oldest
        contents.record(hash: "last", bytes: [UInt8](repeating: 2, count: size))
        XCTAssertNotNil(contents.bytes(of: "0"))
        XCTAssertNil(contents.bytes(of: "1"))
        XCTAssertNotNil(contents.bytes(of: "2"))
        XCTAssertLessThanOrEqual(contents.byteCount, RecentContents.byteBudget)
    }

    func testFilesOverTheLimitAreNotKept() {
        var contents = RecentContents()
        contents.record(hash: "big", bytes: [UInt8](repeating: 0, count: RecentContents.maxFileBytes + 1))
        XCTAssertNil(contents.bytes(of: "big"))
        XCTAssertEqual(contents.byteCount, 0)
    }
}

import XCTest
@testable import HMRCore

final class PathOrderTests: XCTestCase {
    private func bytesOrder(_ a: String, _ b: String) -> Int {
        a.utf8.elementsEqual(b.utf8) ? 0 : a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }

    func testPathsCompareByTheirUTF8Bytes() {
        XCTAssertLessThan(PathOrder.compare("B.txt", "a.css"), 0)
        XCTAssertLessThan(PathOrder.compare("a", "ab"), 0)
        XCTAssertLessThan(PathOrder.compare("z", "é"), 0)
        XCTAssertEqual(PathOrder.compare("d00/f000.bin", "d00/f000.bin"), 0)
    }

    func testTwoSpellingsOfOneCharacterAreDifferentPaths() {
        // "é" precomposed and decomposed: equal as Strings, different as bytes (and as URLs).
        XCTAssertEqual("\u{E9}", "e\u{301}")
        XCTAssertNotEqual(PathOrder.compare("\u{E9}", "e\u{301}"), 0)
    }

    func testEveryPairAgreesWithTheByteByByteOrder() {
        let pool = ["", "a", "b", "B", "/", ".", "é", "e\u{301}", "💓", "assets/", "0123456", "01234567", "012345678",
                    "d00/f000.bin", "d00/f000.bin~", "d00/f001.bin", "\u{7F}", "\u{80}"]
        var paths: [String] = []
        for a in pool { for b in pool { paths.append(a + b) } }
        for a in paths {
            for b in paths.prefix(60) {
                XCTAssertEqual(PathOrder.compare(a, b).signum(), bytesOrder(a, b), "\(a.debugDescription) \(b.debugDescription)")
            }
        }
    }

    func testIndexFindsEveryPathOfASortedListAndNothingElse() {
        let sorted = (0..<300).map { "d\($0 % 7)/f\($0).js" }.sorted(by: ModuleMap.pathOrder)
        for (i, path) in sorted.enumerated() { XCTAssertEqual(PathOrder.index(of: path, in: sorted), i) }
        XCTAssertNil(PathOrder.index(of: "d9/none.js", in: sorted))
        XCTAssertNil(PathOrder.index(of: "", in: sorted))
        XCTAssertNil(PathOrder.index(of: "a", in: []))
    }
}

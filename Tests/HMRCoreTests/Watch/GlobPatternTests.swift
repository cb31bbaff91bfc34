import XCTest
@testable import HMRCore

final class GlobPatternTests: XCTestCase {
    func testPatternWithoutSlashMatchesAnySegment() {
        let p = GlobPattern("*.log")
        XCTAssertTrue(p.matches("debug.log"))
        XCTAssertTrue(p.matches("logs/deep/x.log"))
        XCTAssertFalse(p.matches("x.log.txt"))
        XCTAssertTrue(GlobPattern("tmp").matches("a/tmp/b.txt"))
        XCTAssertFalse(GlobPattern("tmp").matches("a/tmpfile"))
    }

    func testPatternWithSlashIsAnchoredAtTheRootAndCoversWhatIsInside() {
        let p = GlobPattern("build/out")
        XCTAssertTrue(p.matches("build/out"))
        XCTAssertTrue(p.matches("build/out/x.js"))
        XCTAssertFalse(p.matches("src/build/out"))
        XCTAssertTrue(GlobPattern("/gen/*.js").matches("gen/a.js"))
    }

    func testStarStaysInOneSegmentAndGlobstarCrossesThem() {
        XCTAssertFalse(GlobPattern("src/*.js").matches("src/a/b.js"))
        XCTAssertTrue(GlobPattern("src/**/*.js").matches("src/a/b.js"))
        XCTAssertTrue(GlobPattern("src/**/*.js").matches("src/b.js"))
        XCTAssertTrue(GlobPattern("**/cache").matches("x/y/cache/z"))
    }

    func testQuestionMarkAndSets() {
        XCTAssertTrue(GlobPattern("file?.txt").matches("file1.txt"))
        XCTAssertFalse(GlobPattern("file?.txt").matches("file10.txt"))
        XCTAssertTrue(GlobPattern("[ab].css").matches("a.css"))
        XCTAssertFalse(GlobPattern("[ab].css").matches("c.css"))
        XCTAssertTrue(GlobPattern("v[0-9]").matches("v7"))
        XCTAssertTrue(GlobPattern("[!a]x").matches("bx"))
        XCTAssertFalse(GlobPattern("[!a]x").matches("ax"))
    }

    func testLeadingDotSlashAndTrailingSlashAreTolerated() {
        XCTAssertTrue(GlobPattern("./dist/").matches("dist/app.js"))
    }
}

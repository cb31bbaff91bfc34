// Mapping URL paths to relative file paths under the static root.

import XCTest
@testable import HMRCore

final class StaticPathTests: XCTestCase {
    func testPathsMapToRelativeFilePaths() {
        let cases: [(String, String)] = [
            ("/css/app.css", "css/app.css"), ("/", ""), ("/index.html", "index.html"),
            ("/docs/", "docs"), ("//a//b", "a/b"), ("/a.b/c..d", "a.b/c..d"), ("/caf\u{E9}.txt", "caf\u{E9}.txt"),
        ]
        for (path, relative) in cases {
            XCTAssertEqual(StaticPath.relativePath(for: path), relative, path)
        }
    }

    func testDotFilesAndDotDirectoriesAreRefused() {
        for path in ["/.env", "/.git/config", "/a/.hidden/b.css", "/.well-known/x", "/..", "/a/..", "/."] {
            XCTAssertNil(StaticPath.relativePath(for: path), path)
        }
    }

    func testRelativePathsAreRefused() {
        XCTAssertNil(StaticPath.relativePath(for: "css/app.css"))
        XCTAssertNil(StaticPath.relativePath(for: ""))
    }
}

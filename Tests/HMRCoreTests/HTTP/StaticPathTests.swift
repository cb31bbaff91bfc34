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

    func testRealPathsInsideTheRootAreRelativeToIt() {
        XCTAssertEqual(StaticPath.relativeRealPath("/srv/site", root: "/srv/site"), "")
        XCTAssertEqual(StaticPath.relativeRealPath("/srv/site/css/app.css", root: "/srv/site"), "css/app.css")
        XCTAssertEqual(StaticPath.relativeRealPath("/srv/site/a..b", root: "/srv/site"), "a..b")
        XCTAssertEqual(StaticPath.relativeRealPath("/etc/passwd", root: "/"), "etc/passwd")
        // The root's own path may contain dot segments: only what lies below it counts.
        XCTAssertEqual(StaticPath.relativeRealPath("/home/me/.cache/site/x.js", root: "/home/me/.cache/site"), "x.js")
    }

    func testRealPathsOutsideTheRootAreRefused() {
        for real in ["/srv", "/srv/sitex", "/srv/site-other/a", "/srv/secret.txt", "/", "site/a"] {
            XCTAssertNil(StaticPath.relativeRealPath(real, root: "/srv/site"), real)
        }
    }

    func testRealPathsThroughADotFileOrDotFolderAreRefused() {
        // What a symlink with a plain name (env.txt -> .env, current -> .git) resolves to.
        for real in ["/srv/site/.env", "/srv/site/.git/config", "/srv/site/a/.hidden/index.html", "/srv/site/.well-known/x"] {
            XCTAssertNil(StaticPath.relativeRealPath(real, root: "/srv/site"), real)
        }
    }

    func testAFolderRedirectAddsTheSlashAndKeepsTheQuery() {
        XCTAssertEqual(StaticPath.folderRedirect(rawPath: "/docs", query: nil), "/docs/")
        XCTAssertEqual(StaticPath.folderRedirect(rawPath: "/docs", query: "x=1"), "/docs/?x=1")
        XCTAssertEqual(StaticPath.folderRedirect(rawPath: "/my%20docs", query: ""), "/my%20docs/?")
    }

    func testAFolderRedirectNeverBecomesAProtocolRelativeURL() {
        // `//evil.example` in a Location sends the browser to another host.
        XCTAssertEqual(StaticPath.folderRedirect(rawPath: "//evil.example", query: nil), "/evil.example/")
        XCTAssertEqual(StaticPath.folderRedirect(rawPath: "///docs//a", query: "q"), "/docs//a/?q")
        XCTAssertEqual(StaticPath.folderRedirect(rawPath: "/%2fevil.example", query: nil), "/%2fevil.example/")
    }
}

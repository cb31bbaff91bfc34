// Content types by extension.

import XCTest
@testable import HMRCore

final class MIMETypeTests: XCTestCase {
    func testKnownExtensionsMapToTheirTypes() {
        let cases: [(String, String)] = [
            ("index.html", "text/html; charset=utf-8"), ("a.htm", "text/html; charset=utf-8"),
            ("app.css", "text/css; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8"),
            ("m.mjs", "text/javascript; charset=utf-8"), ("c.cjs", "text/javascript; charset=utf-8"),
            ("d.json", "application/json"), ("app.js.map", "application/json"), ("i.svg", "image/svg+xml"),
            ("i.png", "image/png"), ("i.jpg", "image/jpeg"), ("i.jpeg", "image/jpeg"), ("i.gif", "image/gif"),
            ("i.webp", "image/webp"), ("i.avif", "image/avif"), ("favicon.ico", "image/x-icon"),
            ("m.wasm", "application/wasm"), ("r.txt", "text/plain; charset=utf-8"),
            ("f.xml", "text/xml; charset=utf-8"), ("d.pdf", "application/pdf"), ("f.woff", "font/woff"),
            ("f.woff2", "font/woff2"), ("f.ttf", "font/ttf"), ("f.otf", "font/otf"), ("v.mp4", "video/mp4"),
            ("v.webm", "video/webm"), ("a.mp3", "audio/mpeg"), ("a.wav", "audio/wav"),
        ]
        for (path, type) in cases {
            XCTAssertEqual(MIMEType.forPath(path), type, path)
        }
    }

    func testExtensionIsMatchedIgnoringCase() {
        XCTAssertEqual(MIMEType.forPath("/IMG/PHOTO.JPG"), "image/jpeg")
        XCTAssertEqual(MIMEType.forPath("/Index.HTML"), "text/html; charset=utf-8")
    }

    func testOnlyTheLastSegmentsExtensionCounts() {
        XCTAssertEqual(MIMEType.forPath("/assets.css/readme"), "application/octet-stream")
        XCTAssertEqual(MIMEType.forPath("/dir.js/"), "application/octet-stream")
        XCTAssertEqual(MIMEType.forPath("/a/b.min.js"), "text/javascript; charset=utf-8")
    }

    func testUnknownOrMissingExtensionsAreOctetStream() {
        for path in ["/bin/tool", "/a.exe", "/archive.tar.gz", "/.css", "/file.", "", "/"] {
            XCTAssertEqual(MIMEType.forPath(path), "application/octet-stream", path)
        }
    }
}

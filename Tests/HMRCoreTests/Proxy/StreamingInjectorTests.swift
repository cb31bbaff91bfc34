// Injecting the script tag into HTML that arrives in pieces: before the first
// `</body>`, else at the end; exactly once, nothing else changed, at every split.

import XCTest
@testable import HMRCore

final class StreamingInjectorTests: XCTestCase {
    let tag = "<script src=\"/__hmr/client.js\"></script>"

    /// Everything the injector put out for `piecing`, its finish included.
    func inject(_ piecing: Piecing) -> [UInt8] {
        var injector = StreamingInjector(tag: Array(tag.utf8))
        var output: [UInt8] = []
        for piece in piecing.pieces { output += injector.feed(piece) }
        output += injector.finish()
        XCTAssert(injector.injected)
        return output
    }

    /// Asserts `html` comes out as `expected` in one piece, at every split and
    /// byte by byte, and always exactly the tag longer.
    func assertInjects(_ html: String, gives expected: String, file: StaticString = #filePath, line: UInt = #line) {
        let input = Array(html.utf8)
        for piecing in Piecing.all(input) {
            let output = inject(piecing)
            XCTAssertEqual(String(decoding: output, as: UTF8.self), expected, "\(html.debugDescription), \(piecing.name)",
                           file: file, line: line)
            XCTAssertEqual(output.count, input.count + tag.utf8.count, piecing.name, file: file, line: line)
        }
    }

    func testTagGoesBeforeTheClosingBody() {
        assertInjects("<html><body><p>hi</p></body></html>\n", gives: "<html><body><p>hi</p>\(tag)</body></html>\n")
    }

    func testClosingBodyIsFoundInAnyCase() {
        assertInjects("<BODY>x</BODY>", gives: "<BODY>x\(tag)</BODY>")
        assertInjects("<body>x</bOdY>y", gives: "<body>x\(tag)</bOdY>y")
    }

    func testTheFirstOfTwoClosingBodiesIsUsed() {
        assertInjects("<body><pre></body></pre></body>", gives: "<body><pre>\(tag)</body></pre></body>")
    }

    func testWithoutClosingBodyTheTagGoesAtTheEnd() {
        assertInjects("<p>hi</p>", gives: "<p>hi</p>\(tag)")
        assertInjects("<html><p>x</p></html>", gives: "<html><p>x</p></html>\(tag)")
        assertInjects("", gives: tag)
    }

    func testAStartOfClosingBodyAtTheEndIsSentBeforeTheTag() {
        for end in ["<", "</", "</b", "</bo", "</bod", "</body", "</BODY"] {
            assertInjects("<p>x</p>\(end)", gives: "<p>x</p>\(end)\(tag)")
        }
    }

    func testNearMissesAreNotClosingBody() {
        for html in ["</body >", "</bod>", "</ body>", "<body>", "</bodyx>", "</b\u{00F6}dy>", "<\\/body>"] {
            assertInjects(html, gives: html + tag)
        }
    }

    func testAMatchStartingInsideAFailedOneIsFound() {
        assertInjects("<</body>", gives: "<\(tag)</body>")
        assertInjects("</</body>", gives: "</\(tag)</body>")
        assertInjects("</bod</body>", gives: "</bod\(tag)</body>")
        assertInjects("</body</body>", gives: "</body\(tag)</body>")
    }

    func testNonASCIIBytesPassThroughUnchanged() {
        var injector = StreamingInjector(tag: [0x21])
        let bytes: [UInt8] = [0xFF, 0x3C, 0x2F, 0xC2, 0xE9, 0x00, 0x3C, 0x2F, 0x42, 0x6F, 0x44, 0x79, 0x3E, 0x80]
        XCTAssertEqual(injector.feed(bytes) + injector.finish(),
                       [0xFF, 0x3C, 0x2F, 0xC2, 0xE9, 0x00, 0x21, 0x3C, 0x2F, 0x42, 0x6F, 0x44, 0x79, 0x3E, 0x80])
    }

    func testOnlyAPossibleStartOfClosingBodyIsHeldBack() {
        var injector = StreamingInjector(tag: Array(tag.utf8))
        XCTAssertEqual(injector.feed("<p>a</p>".utf8), Array("<p>a</p>".utf8))
        XCTAssertEqual(injector.feed("<p>b</body".utf8), Array("<p>b".utf8), "\"</body\" is held back")
        XCTAssertFalse(injector.injected)
        XCTAssertEqual(injector.feed("".utf8), [])
        XCTAssertEqual(injector.feed(">\n</html>".utf8), Array("\(tag)</body>\n</html>".utf8))
        XCTAssert(injector.injected)
        XCTAssertEqual(injector.feed("</body>".utf8), Array("</body>".utf8), "after the tag, everything passes")
        XCTAssertEqual(injector.finish(), [])
    }

    func testFinishingTwiceAddsTheTagOnce() {
        var injector = StreamingInjector(tag: Array(tag.utf8))
        XCTAssertEqual(injector.feed("<p>x</b".utf8), Array("<p>x".utf8))
        XCTAssertEqual(injector.finish(), Array("</b\(tag)".utf8))
        XCTAssertEqual(injector.finish(), [])
    }

    func testALargePageInPiecesKeepsEveryByte() {
        let page = Array(("<html><body>" + String(repeating: "<p>é</p></bod>", count: 5000) + "</body></html>").utf8)
        var injector = StreamingInjector(tag: Array(tag.utf8))
        var all: [UInt8] = []
        for piece in Piecing.sized(page, 1000).pieces { all += injector.feed(piece) }
        all += injector.finish()
        XCTAssertEqual(all, HTMLInjector.inject(Array(tag.utf8), into: page), "one </body>: the same as the whole-page injector")
    }
}

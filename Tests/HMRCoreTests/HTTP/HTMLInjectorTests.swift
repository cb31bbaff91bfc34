// Injecting the client's script tag into HTML.

import XCTest
@testable import HMRCore

final class HTMLInjectorTests: XCTestCase {
    let tag = "<script src=\"/__hmr/client.js\"></script>"

    func inject(_ html: String) -> String {
        String(decoding: HTMLInjector.inject(Array(tag.utf8), into: Array(html.utf8)), as: UTF8.self)
    }

    func testTagGoesBeforeTheClosingBody() {
        XCTAssertEqual(inject("<html><body><p>hi</p></body></html>\n"),
                       "<html><body><p>hi</p>\(tag)</body></html>\n")
    }

    func testUppercaseBodyIsFound() {
        XCTAssertEqual(inject("<HTML><BODY>x</BODY></HTML>"), "<HTML><BODY>x\(tag)</BODY></HTML>")
        XCTAssertEqual(inject("<body>x</Body>"), "<body>x\(tag)</Body>")
    }

    func testTheLastOfTwoClosingBodiesIsUsed() {
        XCTAssertEqual(inject("<body><pre>&lt;/body&gt;</body></pre></body>"),
                       "<body><pre>&lt;/body&gt;</body></pre>\(tag)</body>")
    }

    func testWithoutBodyTheTagGoesBeforeTheClosingHtml() {
        XCTAssertEqual(inject("<html><p>x</p></html></HTML>"), "<html><p>x</p></html>\(tag)</HTML>")
    }

    func testWithNeitherTheTagIsAppended() {
        XCTAssertEqual(inject("<p>fragment</p>"), "<p>fragment</p>\(tag)")
        XCTAssertEqual(inject("</bod"), "</bod\(tag)")
    }

    func testEmptyDocumentGetsJustTheTag() {
        XCTAssertEqual(inject(""), tag)
    }

    func testNonUTF8BytesPassThroughUnchanged() {
        let html: [UInt8] = [0xFF, 0x3C, 0x2F, 0x62, 0x6F, 0x64, 0x79, 0x3E, 0xFE]
        XCTAssertEqual(HTMLInjector.inject([0x41], into: html),
                       [0xFF, 0x41, 0x3C, 0x2F, 0x62, 0x6F, 0x64, 0x79, 0x3E, 0xFE])
    }
}

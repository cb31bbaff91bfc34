import XCTest
@testable import HMRCore

final class BackendDownPageTests: XCTestCase {
    private func page(backend: String = "http://127.0.0.1:8000", reason: String = "connection refused") -> String {
        String(decoding: BackendDownPage.html(backend: backend, reason: reason), as: UTF8.self)
    }

    func testThePageNamesTheBackendAndWhyAndSaysItComesBackByItself() {
        let text = page()
        XCTAssertTrue(text.hasPrefix("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"))
        XCTAssertTrue(text.contains("<p>The backend at <code>http://127.0.0.1:8000</code> is not answering (connection refused).</p>"))
        XCTAssertTrue(text.contains("<p>This page comes back by itself when it does.</p>"))
        XCTAssertTrue(text.hasSuffix("</body>\n</html>\n"))
    }

    func testTheBackendAndTheReasonAreEscaped() {
        let text = page(backend: "http://a<b>&\"'c", reason: "<script>alert(1)</script>")
        XCTAssertTrue(text.contains("<code>http://a&lt;b&gt;&amp;&quot;&#39;c</code>"))
        XCTAssertTrue(text.contains("(&lt;script&gt;alert(1)&lt;/script&gt;)"))
        XCTAssertFalse(text.contains("alert(1)</script>"))
        XCTAssertEqual(text.components(separatedBy: "<script>").count, 2, "only the page's own script")
    }

    func testTextOutsideASCIIIsWrittenAsUTF8() {
        let bytes = BackendDownPage.html(backend: "http://bücher.test", reason: "réinitialisé")
        XCTAssertNotNil(bytes.firstRange(of: Array("bücher.test".utf8)))
        XCTAssertNotNil(bytes.firstRange(of: Array("(réinitialisé)".utf8)))
    }

    func testTheHeaderThatMarksThePageIsXHmrdBackendDown() {
        XCTAssertEqual(BackendDownPage.headerName, "X-Hmrd-Backend")
        XCTAssertEqual(BackendDownPage.headerValue, "down")
    }

    func testAScriptAsksForThePageEveryHalfSecondAndReloadsOnceAnAnswerIsNotThisPage() {
        let text = page()
        XCTAssertTrue(text.contains("fetch(location.href, {cache: 'no-store'})"))
        XCTAssertTrue(text.contains("if (answer.headers.get('X-Hmrd-Backend') !== 'down') location.reload();"))
        XCTAssertTrue(text.contains("else setTimeout(poll, 500);"))
        XCTAssertTrue(text.contains("}, function () { setTimeout(poll, 500); });"), "a network error asks again too")
        XCTAssertTrue(text.contains("  setTimeout(poll, 500);\n})();"))
    }

    func testWithoutJSAMetaRefreshAsksAgainEveryTwoSeconds() {
        XCTAssertTrue(page().contains("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>"))
    }

    func testThePageLoadsNothingElse() {
        let text = page()
        for outside in ["<link", " src=", " href=", "url(", "@import"] {
            XCTAssertFalse(text.contains(outside), outside)
        }
    }
}

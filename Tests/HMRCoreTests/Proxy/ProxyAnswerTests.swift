// What the browser gets for a backend's answer under --proxy: head byte for byte,
// how the body is read and written, the tag, and which connections live on.

import XCTest
@testable import HMRCore

final class ProxyAnswerTests: XCTestCase {
    let backend = ProxyTarget(host: "127.0.0.1", port: 8000)
    let tag = Array("<script src=\"/__hmr/client.js\"></script>".utf8)

    func request(_ method: String = "GET", _ version: HTTPVersion = .http11,
                 _ headers: [(String, String)] = [("Host", "localhost:5757")]) -> ProxiedRequest {
        ProxiedRequest(head: makeHead(method, "/", version, headers), framing: .none, expectsContinue: false)
    }

    func start(_ head: String) throws -> ResponseStart {
        try XCTUnwrap(try ResponseHeadReader.read(Array((head + "\r\n\r\n").utf8)))
    }

    func plan(_ head: String, for request: ProxiedRequest? = nil) throws -> ProxyAnswer {
        try ProxyAnswer.plan(try start(head), for: request ?? self.request(), backend: backend, tag: tag)
    }

    func text(_ answer: ProxyAnswer) -> String { String(decoding: answer.head, as: UTF8.self) }

    func testHTMLWithALengthKeepsAnExactLengthAndGetsTheTag() throws {
        let answer = try plan("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 100\r\n"
            + "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nKeep-Alive: timeout=5")
        XCTAssertEqual(text(answer), "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nSet-Cookie: a=1\r\n"
            + "Set-Cookie: b=2\r\nContent-Length: \(100 + tag.count)\r\n\r\n")
        XCTAssertEqual(answer.framing, .length(100))
        XCTAssertEqual(answer.output, .content)
        XCTAssertEqual(answer.injection, ProxyAnswer.Injection(tag: tag, decode: nil))
        XCTAssertTrue(answer.keepClient)
        XCTAssertTrue(answer.keepBackend)
    }

    func testGzipHTMLIsDecodedAndChunked() throws {
        let answer = try plan("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: 40"
            + "\r\nVary: Accept-Encoding")
        XCTAssertEqual(text(answer), "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nVary: Accept-Encoding\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n")
        XCTAssertEqual(answer.output, .chunked)
        XCTAssertEqual(answer.injection?.decode, .gzip)
    }

    func testAnHTTP10BrowserGetsDecodedHTMLUntilTheConnectionCloses() throws {
        let old = request("GET", .http10, [("Host", "localhost")])
        let answer = try plan("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked", for: old)
        XCTAssertEqual(text(answer), "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(answer.output, .content)
        XCTAssertFalse(answer.keepClient)
    }

    func testBrotliHTMLPassesWithoutTheTagAndSaysWhy() throws {
        let answer = try plan("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\nContent-Length: 9")
        XCTAssertNil(answer.injection)
        XCTAssertEqual(answer.output, .raw)
        XCTAssertEqual(answer.note, "HTML coded br passed on without the client (hmrd decodes gzip and deflate)")
        XCTAssertTrue(text(answer).contains("Content-Length: 9\r\n"))
    }

    func testOtherAnswersPassAsFramedAndAChunkedOneLosesAnyLength() throws {
        let css = try plan("HTTP/1.1 200 OK\r\nContent-Type: text/css\r\nContent-Length: 5\r\nETag: \"x\"")
        XCTAssertEqual(css.output, .raw)
        XCTAssertNil(css.injection)
        XCTAssertEqual(text(css), "HTTP/1.1 200 OK\r\nContent-Type: text/css\r\nContent-Length: 5\r\nETag: \"x\"\r\n\r\n")
        let chunked = try plan("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            + "Content-Length: 12")
        XCTAssertEqual(text(chunked), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        XCTAssertEqual(chunked.output, .raw)
        XCTAssertEqual(chunked.framing, .chunked)
    }

    func testABodyEndingAtCloseIsChunkedForAnHTTP11BrowserAndTheBackendIsNotKept() throws {
        let answer = try plan("HTTP/1.0 200 OK\r\nContent-Type: text/event-stream")
        XCTAssertEqual(answer.framing, .untilClose)
        XCTAssertEqual(answer.output, .chunked)
        XCTAssertTrue(answer.keepClient)
        XCTAssertFalse(answer.keepBackend)
        XCTAssertEqual(text(answer), "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
    }

    func testARedirectsHTMLBodyGetsNoTag() throws {
        let answer = try plan("HTTP/1.1 302 Found\r\nContent-Type: text/html; charset=utf-8\r\nLocation: /done\r\n"
            + "Content-Length: 0")
        XCTAssertNil(answer.injection)
        XCTAssertTrue(text(answer).contains("Content-Length: 0\r\n"))
    }

    func testARedirectToTheBackendComesBackToTheBrowsersHost() throws {
        let answer = try plan("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:8000/login\r\nContent-Length: 0")
        XCTAssertEqual(text(answer), "HTTP/1.1 302 Found\r\nLocation: http://localhost:5757/login\r\nContent-Length: 0\r\n\r\n")
    }

    func testHeadAndNotModifiedHaveNoBodyAndHeadKeepsTheLengthAGetWouldHave() throws {
        let head = try plan("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10", for: request("HEAD"))
        XCTAssertEqual(head.framing, .none)
        XCTAssertNil(head.injection)
        XCTAssertTrue(text(head).contains("Content-Length: \(10 + tag.count)\r\n"))
        let notModified = try plan("HTTP/1.1 304 Not Modified\r\nContent-Type: text/html\r\nETag: \"x\"")
        XCTAssertEqual(notModified.framing, .none)
        XCTAssertNil(notModified.injection)
        XCTAssertTrue(notModified.keepClient)
    }

    func testHTMLThatScriptFetchedIsPassedAsItIs() throws {
        let html = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10"
        let fragment = try plan(html, for: request("GET", .http11, [("Host", "h"), ("Sec-Fetch-Dest", "empty")]))
        XCTAssertNil(fragment.injection)
        XCTAssertEqual(fragment.output, .raw)
        for destination in ["document", "iframe", "Document"] {
            let page = try plan(html, for: request("GET", .http11, [("Host", "h"), ("Sec-Fetch-Dest", destination)]))
            XCTAssertNotNil(page.injection, destination)
        }
    }

    func testARangeOfHTMLIsPassedAsItIs() throws {
        let answer = try plan("HTTP/1.1 206 Partial Content\r\nContent-Type: text/html\r\nContent-Range: bytes 0-9/100\r\n"
            + "Content-Length: 10")
        XCTAssertNil(answer.injection)
        XCTAssertEqual(answer.output, .raw)
    }

    func testInterimAnswersGoAheadExceptContinueAndAnUpgradeBecomesATunnel() throws {
        let hints = try plan("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload")
        XCTAssertTrue(hints.interim)
        XCTAssertEqual(text(hints), "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n")
        XCTAssertEqual(try plan("HTTP/1.1 100 Continue").head, [])
        let socket = request("GET", .http11, [("Host", "h"), ("Connection", "Upgrade"), ("Upgrade", "websocket")])
        let upgrade = try plan("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: x", for: socket)
        XCTAssertTrue(upgrade.upgrade)
        XCTAssertEqual(text(upgrade), "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: x\r\n\r\n")
    }

    func testTheBackendsCloseAndABrowsersCloseAreKept() throws {
        let closing = try plan("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close")
        XCTAssertFalse(closing.keepBackend)
        XCTAssertTrue(closing.keepClient)
        XCTAssertFalse(text(closing).contains("Connection"))
        let leaving = try plan("HTTP/1.1 200 OK\r\nContent-Length: 1", for: request("GET", .http11, [("Connection", "close")]))
        XCTAssertFalse(leaving.keepClient)
        XCTAssertTrue(text(leaving).hasSuffix("Connection: close\r\n\r\n"))
        let old = try plan("HTTP/1.0 200 OK\r\nContent-Length: 1")
        XCTAssertFalse(old.keepBackend)
    }

    func testSwitchingProtocolsUnaskedIsABadGateway() {
        XCTAssertThrowsError(try plan("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket")) { error in
            XCTAssertEqual((error as? ProxyFailure)?.message, "it switched protocols though the request asked for no upgrade")
        }
    }

    func testABadlyFramedAnswerIsABadGateway() {
        XCTAssertThrowsError(try plan("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2")) { error in
            XCTAssertTrue((error as? ProxyFailure)?.message.hasPrefix("the backend's answer is badly framed") == true)
        }
    }

    func testTheDownPageIsA502ThatClosesAndATextOneForAssets() {
        let page = String(decoding: BackendDown.answer(for: request("GET", .http11, [("Accept", "text/html")]),
                                                       backend: backend, reason: "connection refused"), as: UTF8.self)
        XCTAssertTrue(page.hasPrefix("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html; charset=utf-8\r\n"))
        XCTAssertTrue(page.contains("\r\nX-Hmrd-Backend: down\r\nConnection: close\r\n\r\n<!doctype html>"))
        let asset = String(decoding: BackendDown.answer(for: request(), backend: backend, reason: "connection refused"),
                           as: UTF8.self)
        XCTAssertTrue(asset.hasSuffix("\r\n\r\nhmrd: the backend at http://127.0.0.1:8000 is not answering (connection refused)\n"))
        let head = BackendDown.answer(for: request("HEAD"), backend: backend, reason: "x")
        XCTAssertTrue(String(decoding: head, as: UTF8.self).hasSuffix("\r\n\r\n"))
    }
}

// Which requests go to the backend under --proxy, and the head the backend gets.

import XCTest
@testable import HMRCore

final class ProxiedRequestTests: XCTestCase {
    let policy = RequestPolicy(listenHost: "127.0.0.1", extraHosts: [], extraOrigins: [],
                               postPaths: ["/__hmr/report", "/__hmr/sync"], proxyingAllBut: "/__hmr")

    func proxied(_ head: RequestHead) -> ProxiedRequest? {
        guard case .proxy(let request) = policy.evaluate(head) else { return nil }
        return request
    }

    func testEverythingButHmrdsOwnPathsGoesToTheBackendWithAnyMethod() {
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"] {
            XCTAssertNotNil(proxied(makeHead(method, "/admin/login/?next=/")), method)
        }
        XCTAssertNotNil(proxied(makeHead("GET", "/__hmrx")))
        guard case .allow = policy.evaluate(makeHead("GET", "/__hmr/client.js")) else { return XCTFail("own route proxied") }
        guard case .allow = policy.evaluate(makeHead("GET", "/__hmr")) else { return XCTFail("stream proxied") }
        guard case .deny(.methodNotAllowed, _, _) = policy.evaluate(makeHead("PUT", "/__hmr/status")) else {
            return XCTFail("hmrd's own paths keep their methods")
        }
    }

    func testTheDoorStillChecksHostTargetAndFraming() {
        guard case .deny(.forbidden, _, _) = policy.evaluate(makeHead("GET", "/", .http11, [("Host", "evil.example")])) else {
            return XCTFail("a hostile Host reached the backend")
        }
        guard case .deny(.badRequest, _, _) = policy.evaluate(makeHead("GET", "/../x")) else { return XCTFail() }
        let smuggled = makeHead("POST", "/", .http11, [("Host", "localhost"), ("Content-Length", "3"),
                                                     ("Transfer-Encoding", "chunked")])
        guard case .deny(.badRequest, _, _) = policy.evaluate(smuggled) else { return XCTFail("ambiguous framing passed") }
        let expect = makeHead("POST", "/", .http11, [("Host", "localhost"), ("Expect", "teapot"), ("Content-Length", "1")])
        guard case .deny(.expectationFailed, _, _) = policy.evaluate(expect) else { return XCTFail() }
    }

    func testABodyAndItsFramingAreCarried() {
        let upload = proxied(makeHead("POST", "/upload", .http11, [("Host", "localhost"), ("Transfer-Encoding", "chunked"),
                                                                  ("Expect", "100-continue")]))
        XCTAssertEqual(upload?.framing, .chunked)
        XCTAssertEqual(upload?.expectsContinue, true)
        XCTAssertEqual(proxied(makeHead("PUT", "/x", .http11, [("Host", "localhost"), ("Content-Length", "12")]))?.framing,
                       .length(12))
    }

    func testTheBackendGetsTheHeadLessTheHopsOwnFields() {
        let head = makeHead("POST", "/form?a=1", .http11, [
            ("Host", "localhost:5757"), ("Connection", "keep-alive, X-Secret"), ("X-Secret", "hop"),
            ("Keep-Alive", "timeout=5"), ("Cookie", "a=1"), ("Content-Length", "3"), ("Expect", "100-continue"),
            ("X-Forwarded-For", "10.0.0.1"), ("X-Forwarded-Host", "spoofed"), ("TE", "trailers"),
        ])
        let request = ProxiedRequest(head: head, framing: .length(3), expectsContinue: true)
        XCTAssertEqual(String(decoding: request.backendHead(client: "127.0.0.1"), as: UTF8.self),
                       "POST /form?a=1 HTTP/1.1\r\nHost: localhost:5757\r\nCookie: a=1\r\nContent-Length: 3\r\n"
                       + "X-Forwarded-For: 10.0.0.1, 127.0.0.1\r\nX-Forwarded-Host: localhost:5757\r\n"
                       + "X-Forwarded-Proto: http\r\n\r\n")
    }

    func testAPageLoadAsksForIdentityAndAChunkedBodySaysSo() {
        let head = makeHead("GET", "/", .http10, [("Host", "localhost"), ("Accept", "text/html,*/*"),
                                                 ("Accept-Encoding", "gzip, br")])
        let page = ProxiedRequest(head: head, framing: .none, expectsContinue: false)
        XCTAssertTrue(page.wantsHTML)
        XCTAssertEqual(String(decoding: page.backendHead(client: nil), as: UTF8.self),
                       "GET / HTTP/1.1\r\nHost: localhost\r\nAccept: text/html,*/*\r\nAccept-Encoding: identity\r\n"
                       + "X-Forwarded-Host: localhost\r\nX-Forwarded-Proto: http\r\n\r\n")
        let upload = ProxiedRequest(head: makeHead("PUT", "/f", .http11, [("Host", "h"), ("Transfer-Encoding", "chunked")]),
                                    framing: .chunked, expectsContinue: false)
        XCTAssertEqual(String(decoding: upload.backendHead(client: nil), as: UTF8.self),
                       "PUT /f HTTP/1.1\r\nHost: h\r\nX-Forwarded-Host: h\r\nX-Forwarded-Proto: http\r\n"
                       + "Transfer-Encoding: chunked\r\n\r\n")
    }

    func testAWebSocketUpgradeIsPassedOn() {
        let head = makeHead("GET", "/ws", .http11, [("Host", "h"), ("Connection", "Upgrade"), ("Upgrade", "websocket"),
                                                   ("Sec-WebSocket-Key", "k")])
        let request = ProxiedRequest(head: head, framing: .none, expectsContinue: false)
        XCTAssertEqual(request.upgrade, "websocket")
        XCTAssertEqual(String(decoding: request.backendHead(client: nil), as: UTF8.self),
                       "GET /ws HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Key: k\r\nX-Forwarded-Host: h\r\n"
                       + "X-Forwarded-Proto: http\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        let noConnection = ProxiedRequest(head: makeHead("GET", "/", .http11, [("Host", "h"), ("Upgrade", "websocket")]),
                                          framing: .none, expectsContinue: false)
        XCTAssertNil(noConnection.upgrade)
    }
}

// The prologue as a whole: check order, methods, and what an allowed request
// carries to its route.

import XCTest
@testable import HMRCore

final class RequestPolicyTests: XCTestCase {
    let policy = RequestPolicy(listenHost: "127.0.0.1", extraHosts: [], extraOrigins: ["https://ok.test"])

    func testHostileTargetsAreBadRequests() {
        for target in ["/../etc/passwd", "/%2e%2e/x", "/a/%2E%2E/b", "/a\\b", "/%5c", "/%00", "/x#y",
                       "http://localhost/", "*", "/%zz", "/%4", "/%e0%80"] {
            guard case .deny(let status, _, _) = policy.evaluate(makeHead("GET", target)) else {
                return XCTFail("allowed \(target)")
            }
            XCTAssertEqual(status, .badRequest, target)
        }
    }

    func testDoubleEncodedDotsAreAHarmlessName() {
        guard case .allow(let request) = policy.evaluate(makeHead("GET", "/%252e%252e")) else { return XCTFail() }
        XCTAssertEqual(request.path, "/%2e%2e")
    }

    func testTargetIsCheckedBeforeHostAndHostBeforeMethod() {
        XCTAssertEqual(policy.evaluate(makeHead("POST", "/..", .http11, [("Host", "evil.example")])),
                       .deny(.badRequest, reason: "path contains a .. segment", corsOrigin: nil))
        guard case .deny(.forbidden, _, _) = policy.evaluate(makeHead("POST", "/", .http11, [("Host", "evil.example")]))
        else { return XCTFail("host not checked before method") }
    }

    func testOtherMethodsAreNotAllowedButStillGetCORS() {
        for method in ["POST", "PUT", "OPTIONS", "DELETE", "get", "Head"] {
            let request = makeHead(method, "/", .http11, [("Host", "localhost"), ("Origin", "http://localhost:3000")])
            XCTAssertEqual(policy.evaluate(request), .deny(.methodNotAllowed,
                reason: "method \(method) is not allowed here; use GET or HEAD", corsOrigin: "http://localhost:3000"))
        }
    }

    func testAPostWithABodyIsAMethodNotAllowedNotAMalformedRequest() {
        let post = makeHead("POST", "/__hmr", .http11, [("Host", "localhost"), ("Content-Length", "5")])
        guard case .deny(let status, let reason, _) = policy.evaluate(post) else { return XCTFail() }
        XCTAssertEqual(status, .methodNotAllowed)
        XCTAssertEqual(reason, "method POST is not allowed here; use GET or HEAD")
    }

    private let reporting = RequestPolicy(listenHost: "127.0.0.1", extraHosts: [], extraOrigins: ["https://ok.test"],
                                          postPaths: ["/__hmr/report"])

    func testAPostToAReportPathCarriesItsBodyAndCORS() {
        let post = makeHead("POST", "/__hmr/report", .http11, [("Host", "localhost"), ("Content-Length", "12"),
                                                               ("Origin", "http://localhost:3000")])
        XCTAssertEqual(reporting.evaluate(post), .allow(AllowedRequest(
            path: "/__hmr/report", rawPath: "/__hmr/report", query: nil, isHead: false, corsOrigin: "http://localhost:3000",
            lastEventID: nil, keepAlive: true, body: RequestBodyToRead(framing: .length(12), expectsContinue: false))))
        let tool = makeHead("POST", "/__hmr/report", .http11, [("Host", "localhost"), ("Transfer-Encoding", "chunked"),
                                                               ("Expect", "100-continue")])
        guard case .allow(let request) = reporting.evaluate(tool) else { return XCTFail("a tool without Origin may post") }
        XCTAssertEqual(request.body, RequestBodyToRead(framing: .chunked, expectsContinue: true))
        XCTAssertEqual(request.method, "POST")
    }

    func testAForeignOriginMayNotPostNorMayAPageOfNullOrTwoOrigins() {
        for origins in [["https://evil.test"], ["null"], ["http://localhost:3000", "http://localhost:3000"]] {
            let post = makeHead("POST", "/__hmr/report", .http11,
                                [("Host", "localhost"), ("Content-Length", "2")] + origins.map { ("Origin", $0) })
            guard case .deny(.forbidden, let reason, nil) = reporting.evaluate(post) else { return XCTFail("\(origins)") }
            XCTAssertTrue(reason.contains("may not post here; start hmrd with --allow-origin"), reason)
        }
        let allowed = makeHead("POST", "/__hmr/report", .http11, [("Host", "localhost"), ("Origin", "https://ok.test")])
        guard case .allow = reporting.evaluate(allowed) else { return XCTFail() }
        let hostile = makeHead("POST", "/__hmr/report", .http11, [("Host", "evil.test")])
        guard case .deny(.forbidden, let reason, _) = reporting.evaluate(hostile) else { return XCTFail() }
        XCTAssertTrue(reason.hasPrefix("host evil.test is not allowed"), reason)
    }

    func testPostElsewhereAndGetOfTheReportPathAre405WithTheirAllow() {
        let elsewhere = makeHead("POST", "/__hmr/status", .http11, [("Host", "localhost")])
        XCTAssertEqual(reporting.evaluate(elsewhere), .deny(.methodNotAllowed,
            reason: "method POST is not allowed here; use GET or HEAD", corsOrigin: nil))
        XCTAssertEqual(reporting.allowedMethods(elsewhere), "GET, HEAD")
        let get = makeHead("GET", "/__hmr/report", .http11, [("Host", "localhost")])
        XCTAssertEqual(reporting.evaluate(get), .deny(.methodNotAllowed,
            reason: "method GET is not allowed here; use POST", corsOrigin: nil))
        XCTAssertEqual(reporting.allowedMethods(get), "POST")
        let expect = makeHead("POST", "/__hmr/report", .http11, [("Host", "localhost"), ("Expect", "magic")])
        guard case .deny(let status, _, _) = reporting.evaluate(expect) else { return XCTFail() }
        XCTAssertEqual(status, .expectationFailed)
    }

    func testAmbiguousFramingIsRefusedBeforeAnythingElse() {
        let smuggled = makeHead("POST", "/..", .http11, [("Host", "evil.example"), ("Content-Length", "5"),
                                                         ("Transfer-Encoding", "chunked")])
        guard case .deny(.badRequest, let reason, _) = policy.evaluate(smuggled) else { return XCTFail() }
        XCTAssertTrue(reason.contains("transfer-encoding"), reason)
        let huge = makeHead("GET", "/", .http11, [("Host", "localhost"), ("Content-Length", "99999999999999999999999")])
        guard case .deny(let status, _, _) = policy.evaluate(huge) else { return XCTFail() }
        XCTAssertEqual(status.code, 413)
    }

    func testAGetWithABodyIsRefusedButAnEmptyOneIsNot() {
        let body = makeHead("GET", "/", .http11, [("Host", "localhost"), ("Transfer-Encoding", "chunked")])
        XCTAssertEqual(policy.evaluate(body), .deny(.badRequest, reason: "a GET request takes no body", corsOrigin: nil))
        guard case .allow = policy.evaluate(makeHead("GET", "/", .http11, [("Host", "localhost"), ("Content-Length", "0")]))
        else { return XCTFail() }
    }

    func testForbiddenHostStillGetsCORS() {
        let request = makeHead("GET", "/", .http11, [("Host", "evil.example"), ("Origin", "https://ok.test")])
        guard case .deny(.forbidden, _, let origin) = policy.evaluate(request) else { return XCTFail() }
        XCTAssertEqual(origin, "https://ok.test")
    }

    func testAllowedGetCarriesEverythingTheRouteNeeds() {
        let request = makeHead("GET", "//__hmr/./events?x=1", .http11,
                           [("Host", "localhost"), ("Origin", "http://evil.example"), ("Last-Event-ID", "17")])
        XCTAssertEqual(policy.evaluate(request), .allow(AllowedRequest(
            path: "/__hmr/events", rawPath: "//__hmr/./events", query: "x=1", isHead: false,
            corsOrigin: nil, lastEventID: "17", keepAlive: true)))
    }

    func testAStreamURLNamingItsLastEventIDCarriesItAsTheHeaderWould() {
        let byHeader = makeHead("GET", "/__hmr", .http11, [("Host", "localhost"), ("Last-Event-ID", "1700000000000042")])
        let byQuery = makeHead("GET", "/__hmr?lastEventId=1700000000000042", .http11, [("Host", "localhost")])
        XCTAssertEqual(policy.evaluate(byHeader), .allow(AllowedRequest(
            path: "/__hmr", rawPath: "/__hmr", query: nil, isHead: false,
            corsOrigin: nil, lastEventID: "1700000000000042", keepAlive: true)))
        XCTAssertEqual(policy.evaluate(byQuery), .allow(AllowedRequest(
            path: "/__hmr", rawPath: "/__hmr", query: "lastEventId=1700000000000042", isHead: false,
            corsOrigin: nil, lastEventID: "1700000000000042", keepAlive: true)))
    }

    func testTheLastEventIDHeaderWinsOverTheQuery() {
        let both = makeHead("GET", "/__hmr?lastEventId=17", .http11, [("Host", "localhost"), ("Last-Event-ID", "19")])
        guard case .allow(let request) = policy.evaluate(both) else { return XCTFail() }
        XCTAssertEqual(request.lastEventID, "19")
    }

    func testAllowedHeadOnHTTP10CarriesIsHeadAndKeepAlive() {
        let request = makeHead("HEAD", "/a%20b.css", .http10,
                           [("Host", "127.0.0.1:5757"), ("Connection", "keep-alive"), ("Origin", "https://ok.test/")])
        XCTAssertEqual(policy.evaluate(request), .allow(AllowedRequest(
            path: "/a b.css", rawPath: "/a%20b.css", query: nil, isHead: true,
            corsOrigin: "https://ok.test/", lastEventID: nil, keepAlive: true)))
    }

    func testClosingRequestIsNotKeepAlive() {
        guard case .allow(let request) = policy.evaluate(
            makeHead("GET", "/", .http11, [("Host", "localhost"), ("Connection", "close")])) else { return XCTFail() }
        XCTAssertFalse(request.keepAlive)
        XCTAssertNil(request.lastEventID)
    }
}

import XCTest
@testable import HMRCore

/// Every route and its answer, byte for byte.
final class RouterTests: XCTestCase {
    private let router = Router(streamPath: "/__hmr", maxClients: 2, servesFiles: true)

    private func request(_ path: String, head: Bool = false, origin: String? = nil, keepAlive: Bool = true,
                         query: String? = nil) -> AllowedRequest {
        AllowedRequest(path: path, rawPath: path, query: query, isHead: head, corsOrigin: origin, lastEventID: nil,
                       keepAlive: keepAlive)
    }

    private func text(_ answer: Answer) -> String { String(decoding: answer.bytes, as: UTF8.self) }

    func testPathsUnderThePathAreHmrdsOwnAndTheRestAreFilesOr404() {
        XCTAssertEqual(router.route(request("/__hmr")), .stream)
        XCTAssertEqual(router.route(request("/__hmr/client.js")), .clientScript)
        XCTAssertEqual(router.route(request("/__hmr/status")), .status)
        XCTAssertEqual(router.route(request("/__hmr/other")), .file)
        XCTAssertEqual(router.route(request("/app.css")), .file)
        let noServe = Router(streamPath: "/__hmr", maxClients: 2, servesFiles: false)
        XCTAssertEqual(noServe.route(request("/app.css")), .notFound)
    }

    func testTheGraphIsHmrdsOwnWithOrWithoutServe() {
        XCTAssertEqual(router.route(request("/__hmr/graph")), .graph)
        XCTAssertEqual(Router(streamPath: "/hot", maxClients: 2, servesFiles: false).route(request("/hot/graph")), .graph)
    }

    func testWithoutServeOnlyModulesUnderTheModulePrefixAreServedByTheirKey() {
        let nginx = Router(streamPath: "/__hmr", maxClients: 2, servesFiles: false, modulePrefix: "/assets/")
        XCTAssertEqual(nginx.route(request("/assets/app.js")), .module(key: "app.js"))
        XCTAssertEqual(nginx.route(request("/assets/lib/x.mjs")), .module(key: "lib/x.mjs"))
        for other in ["/assets/app.css", "/app.js", "/assets/", "/assets/.hidden/x.js", "/assets/a//b.js", "/assets/.js"] {
            XCTAssertEqual(nginx.route(request(other)), .notFound, other)
        }
        // With --serve, the static route has every file, modules included.
        let served = Router(streamPath: "/__hmr", maxClients: 2, servesFiles: true, modulePrefix: "/assets/")
        XCTAssertEqual(served.route(request("/assets/app.js")), .file)
    }

    func testTheGraphIsJSONAndAnUnknownBuildIs404SayingToReload() {
        let answer = router.graph(request("/__hmr/graph", origin: "http://localhost:3000"), json: Array("{}".utf8))
        XCTAssertEqual(text(answer), "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: 2\r\nCache-Control: no-cache\r\nAccess-Control-Allow-Origin: http://localhost:3000\r\n"
            + "Vary: Origin\r\nConnection: keep-alive\r\n\r\n{}")
        let missing = router.graph(request("/__hmr/graph"), json: nil)
        XCTAssertEqual(missing.status, .notFound)
        XCTAssertTrue(text(missing).hasSuffix("that build is not one of the last few; reload the page\n"), text(missing))
    }

    func testTheStreamGetsItsHeadAndBecomesAStream() {
        let answer = router.stream(request("/__hmr"), openStreams: 1)
        XCTAssertEqual(answer.then, .stream)
        XCTAssertEqual(answer.bytes, EventStreamHead.bytes(corsOrigin: nil))
    }

    func testAHeadRequestForTheStreamGetsTheHeadAloneAndIsClosed() {
        let answer = router.stream(request("/__hmr", head: true), openStreams: 0)
        XCTAssertEqual(answer.then, .close)
        XCTAssertEqual(answer.bytes, EventStreamHead.bytes(corsOrigin: nil))
    }

    func testPastMaxClientsTheStreamIs503WithRetryAfterAndCORS() {
        let answer = router.stream(request("/__hmr", origin: "http://localhost:3000"), openStreams: 2)
        XCTAssertEqual(answer.then, .close)
        let body = "503 Service Unavailable: too many open streams (--max-clients 2)\n"
        XCTAssertEqual(text(answer), "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                       + "Content-Length: \(body.utf8.count)\r\nCache-Control: no-cache\r\n"
                       + "Access-Control-Allow-Origin: http://localhost:3000\r\nVary: Origin\r\n"
                       + "Retry-After: 5\r\nConnection: close\r\n\r\n" + body)
    }

    func testTheClientScriptIsJavaScriptNotCachedAndKeptAlive() {
        let answer = router.clientScript(request("/__hmr/client.js"), text: "js();")
        XCTAssertEqual(answer.then, .nextRequest)
        XCTAssertEqual(text(answer), "HTTP/1.1 200 OK\r\nContent-Type: text/javascript; charset=utf-8\r\n"
                       + "Content-Length: 5\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\njs();")
    }

    func testStatusIsJSONAndAHeadRequestKeepsTheLengthWithoutTheBody() {
        let answer = router.status(request("/__hmr/status", head: true, keepAlive: false), json: "{}")
        XCTAssertEqual(answer.then, .close)
        XCTAssertEqual(text(answer), "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                       + "Content-Length: 2\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
    }

    func testAPageCarriesTheHashOfWhatWasSent() {
        let answer = router.page(request("/"), contentType: "text/html; charset=utf-8", body: Array("<p>".utf8),
                                 servedHash: "00000000000000aa")
        XCTAssertEqual(text(answer), "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 3\r\n"
                       + "Cache-Control: no-cache\r\nServer-Timing: hmr;desc=\"00000000000000aa\"\r\n"
                       + "Connection: keep-alive\r\n\r\n<p>")
    }

    func testAFolderWithoutItsSlashIsRedirectedWithNoBody() {
        let answer = router.redirect(request("/docs", origin: "http://localhost:3000"), to: "/docs/?a=1")
        XCTAssertEqual(answer.status, .movedPermanently)
        XCTAssertEqual(answer.note, "to /docs/?a=1")
        XCTAssertEqual(text(answer), "HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n"
                       + "Access-Control-Allow-Origin: http://localhost:3000\r\nVary: Origin\r\n"
                       + "Location: /docs/?a=1\r\nConnection: keep-alive\r\n\r\n")
    }

    func testAnErrorKeepsAKeptAliveConnectionAndSaysWhyInTheLog() {
        let answer = router.error(request("/x"), .notFound, "no file at /x")
        XCTAssertEqual(answer.then, .nextRequest)
        XCTAssertEqual(answer.note, "no file at /x")
        XCTAssertTrue(text(answer).hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        XCTAssertTrue(text(answer).hasSuffix("Connection: keep-alive\r\n\r\n404 Not Found: no file at /x\n"))
    }

    func testARefusalAlwaysClosesAndA405SaysWhatIsAllowed() {
        let answer = Router.refusal(.methodNotAllowed, reason: "nope", corsOrigin: nil, method: "POST")
        XCTAssertEqual(answer.then, .close)
        XCTAssertTrue(text(answer).contains("\r\nAllow: GET, HEAD\r\nConnection: close\r\n\r\n"))
    }

    func testClientJsStartsFromThePagesBuildWhileItIsRecentElseFromTheCurrentOne() {
        var recent = RecentBuilds()
        let old = String(repeating: "a", count: 16)
        recent.record(hash: old, modules: Array(#"{"a.css":"1"}"#.utf8))
        let current = BuildSnapshot(hash: String(repeating: "b", count: 16), modules: ModuleMap(["a.css": "2"]))
        XCTAssertEqual(Router.clientBoot(query: "build=\(old)", current: current, recent: recent).hash, old)
        XCTAssertEqual(Router.clientBoot(query: "build=\(String(repeating: "c", count: 16))", current: current,
                                         recent: recent).hash, current.hash)
        XCTAssertEqual(Router.clientBoot(query: nil, current: current, recent: recent).modules, current.modules.json)
    }

    func testAReportIsRoutedAndAnswered204OrWithWhyNot() {
        let router = Router(streamPath: "/__hmr", maxClients: 10, servesFiles: true)
        let request = AllowedRequest(path: "/__hmr/report", rawPath: "/__hmr/report", query: nil, isHead: false,
                                     corsOrigin: "http://localhost:3000", lastEventID: nil, keepAlive: true,
                                     body: RequestBodyToRead(framing: .length(2), expectsContinue: false))
        XCTAssertEqual(router.route(request), .report)
        let taken = router.report(request, ReportDesk.Verdict(status: .noContent, reason: nil, said: []))
        XCTAssertEqual(String(decoding: taken.bytes, as: UTF8.self), "HTTP/1.1 204 No Content\r\n"
                       + "Access-Control-Allow-Origin: http://localhost:3000\r\nVary: Origin\r\nConnection: keep-alive\r\n\r\n")
        XCTAssertEqual(taken.then, .nextRequest)
        let dropped = router.report(request, ReportDesk.Verdict(status: .tooManyRequests, reason: "too often", said: []))
        XCTAssertTrue(String(decoding: dropped.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 429 Too Many Requests\r\n"))
        XCTAssertTrue(String(decoding: dropped.bytes, as: UTF8.self).hasSuffix("\r\n\r\n429 Too Many Requests: too often\n"))
        XCTAssertEqual(dropped.then, .nextRequest, "the body was read whole: the connection can go on")
    }

    func testWithoutSyncItsRouteIs404AndCloses() {
        let router = Router(streamPath: "/__hmr", maxClients: 10, servesFiles: false)
        let request = AllowedRequest(path: "/__hmr/sync", rawPath: "/__hmr/sync", query: nil, isHead: false,
                                     corsOrigin: nil, lastEventID: nil, keepAlive: true,
                                     body: RequestBodyToRead(framing: .length(2), expectsContinue: false))
        XCTAssertEqual(router.route(request), .sync)
        let off = router.sync(request, nil)
        XCTAssertEqual(off.status, .notFound)
        XCTAssertEqual(off.then, .close, "the body was not read")
        XCTAssertTrue(String(decoding: off.bytes, as: UTF8.self).hasSuffix("start hmrd with --sync to have pages mirror each other\n"))
        let on = router.sync(request, SyncDesk.Verdict(status: .noContent, reason: nil, frame: "{}"))
        XCTAssertEqual(on.status, .noContent)
        XCTAssertEqual(on.then, .nextRequest)
    }
}

// --proxy URL: what is taken, and the one line for what is not.

import XCTest
@testable import HMRCore

final class ProxyTargetTests: XCTestCase {
    func testAnHTTPOriginIsTaken() throws {
        let target = try ProxyTarget(parsing: "http://127.0.0.1:8000")
        XCTAssertEqual(target, ProxyTarget(host: "127.0.0.1", port: 8000))
        XCTAssertEqual(target.origin, "http://127.0.0.1:8000")
        XCTAssertEqual(try ProxyTarget(parsing: "http://LocalHost:3000/").authority, "localhost:3000")
        XCTAssertEqual(try ProxyTarget(parsing: "localhost:8080").port, 8080)
        XCTAssertEqual(try ProxyTarget(parsing: "http://app.test").origin, "http://app.test")
        let six = try ProxyTarget(parsing: "http://[::1]:8000")
        XCTAssertEqual(six.addressHost, "::1")
        XCTAssertEqual(six.authority, "[::1]:8000")
    }

    func testWhatIsNotAnHTTPOriginIsOneLineWithTheWayOut() {
        let cases = [
            ("https://127.0.0.1:8000", "--proxy speaks plain HTTP to the backend: give its http:// address "
                + "(such as --proxy http://127.0.0.1:8000), not https://127.0.0.1:8000"),
            ("ftp://x", "--proxy takes an http:// address such as http://127.0.0.1:8000, not ftp://x"),
            ("http://127.0.0.1:8000/app", "--proxy takes the backend's origin only (such as http://127.0.0.1:8000), "
                + "without a path, query or user: not http://127.0.0.1:8000/app"),
            ("http://u@h:1", "--proxy takes the backend's origin only (such as http://127.0.0.1:8000), "
                + "without a path, query or user: not http://u@h:1"),
            ("http://:80", "--proxy needs a host and port such as http://127.0.0.1:8000, not http://:80"),
            ("http://h:0", "--proxy port must be 1 to 65535, not 0"),
            ("http://h:99999", "--proxy port must be 1 to 65535, not 99999"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try ProxyTarget(parsing: text), text) { error in
                XCTAssertEqual((error as? ConfigError)?.message, message)
            }
        }
    }

    func testProxyAndServeExcludeEachOther() {
        var config = DaemonConfig(serveDir: "public")
        config.proxy = ProxyTarget(host: "127.0.0.1", port: 8000)
        XCTAssertThrowsError(try config.validate()) { error in
            XCTAssertTrue((error as? ConfigError)?.message.hasPrefix("--proxy and --serve exclude each other") == true)
        }
    }

    func testRedirectsToTheBackendComeBackToTheBrowsersAddress() {
        let backend = ProxyTarget(host: "127.0.0.1", port: 8000)
        let host = "localhost:5757"
        XCTAssertEqual(BackendRedirect.rewrite("http://127.0.0.1:8000/login?next=/", backend: backend, host: host),
                       "http://localhost:5757/login?next=/")
        XCTAssertEqual(BackendRedirect.rewrite("HTTP://127.0.0.1:8000", backend: backend, host: host),
                       "http://localhost:5757/")
        for untouched in ["/login", "http://127.0.0.1:80001/x", "http://127.0.0.1:8000.evil/x", "https://127.0.0.1:8000/",
                          "http://example.com/", "login"] {
            XCTAssertEqual(BackendRedirect.rewrite(untouched, backend: backend, host: host), untouched)
        }
        let plain = ProxyTarget(host: "app.test", port: 80)
        XCTAssertEqual(BackendRedirect.rewrite("http://app.test:80/a", backend: plain, host: host), "http://localhost:5757/a")
        XCTAssertEqual(BackendRedirect.rewrite("http://app.test/a", backend: plain, host: host), "http://localhost:5757/a")
    }

    func testTheBackendsHealthIsToldOncePerStretch() {
        let backend = ProxyTarget(host: "127.0.0.1", port: 8000)
        var health = BackendHealth()
        XCTAssertNil(health.answered(backend: backend))
        XCTAssertEqual(health.failed(backend: backend, reason: "connection refused"),
                       .backendDown(backend: "http://127.0.0.1:8000", reason: "connection refused"))
        XCTAssertNil(health.failed(backend: backend, reason: "connection refused"))
        XCTAssertEqual(health.answered(backend: backend), .backendUp(backend: "http://127.0.0.1:8000"))
        XCTAssertNil(health.answered(backend: backend))
    }
}

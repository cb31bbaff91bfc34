// The Host allow-list through the whole policy: tables of hosts that must be
// refused with 403 and hosts that must be served.

import XCTest
@testable import HMRCore

final class HostAllowListTests: XCTestCase {
    let policy = RequestPolicy(listenHost: "192.168.1.20", extraHosts: ["dev.test", "*.example.com", "Box:8080"],
                               extraOrigins: [])

    func decision(host: String?, policy: RequestPolicy? = nil) -> PolicyDecision {
        let headers = host.map { [("Host", $0)] } ?? []
        return (policy ?? self.policy).evaluate(makeHead("GET", "/", .http11, headers))
    }

    func testHostileHostsAreForbidden() {
        let hosts = [
            "localhost.evil.com", "evil.example", "[::1234]:80", "", "127.0.0.1.nip.io", "127.0.0.2",
            "example.com", "evilexample.com", "dev.test.evil", "localhost:", "localhost:80a", "localhost:-1",
            "localhost.", ".localhost", "a..localhost", "::1", "[::1", "user@localhost", "localhost/x",
            "local host", "0x7f.0.0.1", "box", "box:8081", "[::1]x", "localhost:80:80",
        ]
        for host in hosts {
            guard case .deny(let status, _, _) = decision(host: host) else { return XCTFail("allowed \(host)") }
            XCTAssertEqual(status, .forbidden, host)
        }
    }

    func testAllowedHostsAreServed() {
        let hosts = [
            "localhost", "LOCALHOST:5757", "app.localhost:3000", "a.b.localhost", "127.0.0.1:80", "127.0.0.1",
            "[::1]:5757", "[::1]", "192.168.1.20:5757", "dev.test", "DEV.TEST:1", "a.example.com",
            "x.y.example.com:443", "box:8080",
        ]
        for host in hosts {
            guard case .allow = decision(host: host) else { return XCTFail("refused \(host)") }
        }
    }

    func testIPv6ListenHostIsComparedBracketed() {
        let v6 = RequestPolicy(listenHost: "fe80::1", extraHosts: [], extraOrigins: [])
        guard case .allow = decision(host: "[FE80::1]:5757", policy: v6) else { return XCTFail("refused") }
        guard case .deny = decision(host: "[fe80::2]", policy: v6) else { return XCTFail("allowed") }
    }

    func testStarAllowsAnyValidHost() {
        let any = RequestPolicy(listenHost: "127.0.0.1", extraHosts: ["*"], extraOrigins: [])
        guard case .allow = decision(host: "evil.example:80", policy: any) else { return XCTFail("refused") }
        guard case .deny = decision(host: "", policy: any) else { return XCTFail("allowed empty host") }
    }

    func testMissingOrDuplicateHostIsForbidden() {
        XCTAssertEqual(policy.evaluate(makeHead("GET", "/", .http10, [])),
                       .deny(.forbidden, reason: "missing host header", corsOrigin: nil))
        XCTAssertEqual(policy.evaluate(makeHead("GET", "/", .http11, [("Host", "localhost"), ("host", "localhost")])),
                       .deny(.forbidden, reason: "duplicate host header", corsOrigin: nil))
    }

    func testRefusalNamesTheHostAndTheFlag() {
        XCTAssertEqual(decision(host: "Evil.Example:80"), .deny(.forbidden,
            reason: "host evil.example is not allowed; start hmrd with --allow-host evil.example to accept it",
            corsOrigin: nil))
        XCTAssertEqual(decision(host: "a b"), .deny(.forbidden, reason: "invalid host header", corsOrigin: nil))
    }

    func testEntriesThatCanNeverMatchAreDropped() {
        XCTAssertEqual(HostAllowList.entry("bad host"), nil)
        XCTAssertEqual(HostAllowList.entry("::1"), .exact("[::1]", port: nil))
        XCTAssertEqual(HostAllowList.entry("*.Example.com:80"), .subdomains(of: "example.com", port: "80"))
    }
}

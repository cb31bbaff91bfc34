// Header lookup and the keep-alive rules of a parsed head.

import XCTest
@testable import HMRCore

final class RequestHeadTests: XCTestCase {
    let sample = makeHead("GET", "/", .http11, [("Host", "localhost"), ("Accept", "a"), ("accept", "b")])

    func testValueOfMatchesTheNameCaseInsensitivelyAndTakesTheFirst() {
        XCTAssertEqual(sample.value(of: "ACCEPT"), "a")
        XCTAssertEqual(sample.value(of: "host"), "localhost")
        XCTAssertNil(sample.value(of: "Accept-Language"))
    }

    func testValuesOfReturnsEveryMatchInOrder() {
        XCTAssertEqual(sample.values(of: "Accept"), ["a", "b"])
        XCTAssertEqual(sample.values(of: "Origin"), [])
    }

    func testKeepAliveFollowsVersionAndConnectionOptions() {
        let cases: [(HTTPVersion, [String], Bool)] = [
            (.http11, [], true),
            (.http11, ["close"], false),
            (.http11, ["Close"], false),
            (.http11, ["keep-alive"], true),
            (.http11, ["upgrade, close"], false),
            (.http11, ["keep-alive", "close"], false),
            (.http11, ["closed"], true),
            (.http10, [], false),
            (.http10, ["keep-alive"], true),
            (.http10, ["Keep-Alive"], true),
            (.http10, [" foo ,  keep-alive "], true),
            (.http10, ["keep-alive, close"], false),
            (.http10, ["keep-alives"], false),
        ]
        for (version, connection, expected) in cases {
            let parsed = makeHead("GET", "/", version, [("Host", "localhost")] + connection.map { ("Connection", $0) })
            XCTAssertEqual(parsed.keepAlive, expected, "\(version) \(connection)")
        }
    }
}

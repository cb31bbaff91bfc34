// CORS: which Origin headers are echoed back, and which get nothing.

import XCTest
@testable import HMRCore

final class OriginAllowListTests: XCTestCase {
    let origins = OriginAllowList(extraOrigins: ["https://App.Example.com/", "http://tools.test:8080"])

    func cors(_ values: String...) -> String? {
        origins.corsOrigin(for: makeHead("GET", "/", .http11, [("Host", "localhost")] + values.map { ("Origin", $0) }))
    }

    func testLoopbackOriginsAreEchoedAsSent() {
        for origin in ["http://localhost", "http://localhost:3000", "https://localhost:5757", "HTTP://LocalHost:1",
                       "http://app.localhost:5173", "http://127.0.0.1:8080", "http://[::1]:5757", "https://[::1]",
                       "http://localhost/"] {
            XCTAssertEqual(cors(origin), origin, origin)
        }
    }

    func testForeignOriginsGetNoCORS() {
        for origin in ["null", "http://evil.example", "http://localhost.evil.com", "http://127.0.0.1.evil.com",
                       "ftp://localhost", "file://", "localhost", "http://localhost/app", "http://user@localhost",
                       "http://localhost:abc", "http://[::2]", "*", "", "https://app.example.com.evil",
                       "http://app.example.com", "http://tools.test", "http://tools.test:8081"] {
            XCTAssertNil(cors(origin), origin)
        }
    }

    func testExtraOriginsAreEchoedIgnoringCaseAndTrailingSlash() {
        XCTAssertEqual(cors("https://app.example.com"), "https://app.example.com")
        XCTAssertEqual(cors("HTTPS://APP.EXAMPLE.COM/"), "HTTPS://APP.EXAMPLE.COM/")
        XCTAssertEqual(cors("http://tools.test:8080"), "http://tools.test:8080")
    }

    func testNullIsNeverEchoedEvenWhenListed() {
        let listed = OriginAllowList(extraOrigins: ["null"])
        XCTAssertNil(listed.corsOrigin(for: makeHead("GET", "/", .http11, [("Origin", "null")])))
    }

    func testNoOriginOrTwoOriginsGetNoCORS() {
        XCTAssertNil(cors())
        XCTAssertNil(cors("http://localhost", "http://localhost"))
    }
}

// How a backend's response body is delimited (RFC 9112 section 6.3), one row per case.

import XCTest
@testable import HMRCore

final class MessageBodyFramingTests: XCTestCase {
    func framing(_ fields: [(String, String)], status: Int = 200, method: String = "GET")
        -> Result<MessageBodyFraming, BodyError> {
        Result { () throws(BodyError) in
            try MessageBodyFraming.response(status: status, requestMethod: method,
                                            headers: fields.map { HeaderField(name: $0.0, value: $0.1) })
        }
    }

    func testResponsesThatNeverHaveABodyHaveNone() {
        let chunked = [("Transfer-Encoding", "chunked")], length = [("Content-Length", "10")]
        for status in [100, 101, 103, 199, 204, 304] {
            XCTAssertEqual(framing(length, status: status, method: "GET"), .success(.none), "\(status)")
            XCTAssertEqual(framing(chunked, status: status, method: "GET"), .success(.none), "\(status)")
        }
        XCTAssertEqual(framing(length, status: 200, method: "HEAD"), .success(.none))
        XCTAssertEqual(framing(chunked, status: 404, method: "HEAD"), .success(.none))
        XCTAssertEqual(framing(length, status: 200, method: "head"), .success(.length(10)), "methods are case-sensitive")
        XCTAssertEqual(framing(length, status: 205, method: "GET"), .success(.length(10)))
    }

    func testTransferEncodingEndingInChunkedIsChunked() {
        let rows: [[(String, String)]] = [
            [("Transfer-Encoding", "chunked")],
            [("transfer-encoding", "Chunked")],
            [("Transfer-Encoding", "gzip, chunked")],
            [("Transfer-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
            [("Transfer-Encoding", " chunked ,")],
            [("Transfer-Encoding", "chunked"), ("Content-Length", "5")],
            [("Content-Length", "nonsense"), ("Transfer-Encoding", "chunked")],
        ]
        for fields in rows { XCTAssertEqual(framing(fields), .success(.chunked), "\(fields)") }
    }

    func testOtherTransferEncodingsRunUntilTheConnectionCloses() {
        let rows: [[(String, String)]] = [
            [("Transfer-Encoding", "gzip")],
            [("Transfer-Encoding", "chunked, gzip")],
            [("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "identity")],
            [("Transfer-Encoding", "")],
            [("Transfer-Encoding", "chunkedx"), ("Content-Length", "5")],
        ]
        for fields in rows { XCTAssertEqual(framing(fields), .success(.untilClose), "\(fields)") }
    }

    func testContentLengthGivesTheLength() {
        XCTAssertEqual(framing([("Content-Length", "0")]), .success(.length(0)))
        XCTAssertEqual(framing([("content-length", "1234")]), .success(.length(1234)))
        XCTAssertEqual(framing([("Content-Length", "5, 5")]), .success(.length(5)))
        XCTAssertEqual(framing([("Content-Length", "5"), ("Content-Length", " 5 ")]), .success(.length(5)))
        XCTAssertEqual(framing([("Content-Length", "9223372036854775807")]), .success(.length(Int.max)))
    }

    func testInvalidOrConflictingContentLengthIsAnError() {
        let rows: [(String, BodyError)] = [
            ("", .invalidFraming("invalid content-length")),
            ("abc", .invalidFraming("invalid content-length")),
            ("-1", .invalidFraming("invalid content-length")),
            ("+5", .invalidFraming("invalid content-length")),
            ("5.0", .invalidFraming("invalid content-length")),
            ("5,", .invalidFraming("invalid content-length")),
            ("5, 6", .invalidFraming("conflicting content-length")),
            ("5, 05", .invalidFraming("conflicting content-length")),
            ("9223372036854775808", .invalidFraming("content-length too large")),
        ]
        for (value, error) in rows {
            XCTAssertEqual(framing([("Content-Length", value)]), .failure(error), value)
        }
        XCTAssertEqual(framing([("Content-Length", "5"), ("Content-Length", "6")]),
                       .failure(.invalidFraming("conflicting content-length")))
    }

    func testWithoutFramingFieldsTheBodyRunsUntilClose() {
        XCTAssertEqual(framing([]), .success(.untilClose))
        XCTAssertEqual(framing([("Content-Type", "text/html")], status: 500, method: "POST"), .success(.untilClose))
    }
}

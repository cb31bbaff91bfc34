// The request-target check: hostile targets are refused, good ones split and
// normalized.

import XCTest
@testable import HMRCore

final class RequestTargetTests: XCTestCase {
    func testHostileTargetsAreRefused() {
        let cases: [(String, RequestTarget.Problem)] = [
            ("/../etc/passwd", .dotDot),
            ("/a/../../etc/passwd", .dotDot),
            ("/..", .dotDot),
            ("/%2e%2e/x", .dotDot),
            ("/a/%2E%2E/b", .dotDot),
            ("/a/.%2e/b", .dotDot),
            ("/%2e%2e%2fetc", .dotDot),
            ("/a\\b", .backslash),
            ("/%5c", .backslash),
            ("/%5C..%5Cx", .backslash),
            ("/%00", .controlByte),
            ("/a%0d%0aSet-Cookie:x", .controlByte),
            ("/%7f", .controlByte),
            ("/x#y", .fragment),
            ("/#", .fragment),
            ("http://localhost/", .notOriginForm),
            ("localhost:5757", .notOriginForm),
            ("*", .notOriginForm),
            ("", .notOriginForm),
            ("a/b", .notOriginForm),
            ("/a b", .invalidByte),
            ("/caf\u{E9}", .invalidByte),
            ("/%zz", .badEscape),
            ("/%4", .badEscape),
            ("/%", .badEscape),
            ("/%g0", .badEscape),
            ("/%e0%80", .notUTF8),
            ("/%ff", .notUTF8),
            ("/%c0%ae%c0%ae/x", .notUTF8),
        ]
        for (target, problem) in cases {
            XCTAssertEqual(RequestTarget.parse(target), .failure(problem), target)
        }
    }

    func testPathIsDecodedOnlyOnce() {
        XCTAssertEqual(RequestTarget.parse("/%252e%252e"),
                       .success(RequestTarget(path: "/%2e%2e", rawPath: "/%252e%252e", query: nil)))
    }

    func testQueryIsSplitOffRawAndNotChecked() {
        XCTAssertEqual(RequestTarget.parse("/a%20b?x=%zz&y=..%2f"),
                       .success(RequestTarget(path: "/a b", rawPath: "/a%20b", query: "x=%zz&y=..%2f")))
        XCTAssertEqual(RequestTarget.parse("/?"), .success(RequestTarget(path: "/", rawPath: "/", query: "")))
        XCTAssertEqual(RequestTarget.parse("/p?a?b"), .success(RequestTarget(path: "/p", rawPath: "/p", query: "a?b")))
    }

    func testPathIsNormalized() {
        let cases = [
            ("/", "/"), ("//", "/"), ("/.", "/"), ("/./", "/"),
            ("//a/./b", "/a/b"), ("/a//b///c", "/a/b/c"),
            ("/a/b/", "/a/b/"), ("/a/.", "/a/"), ("/a/b//", "/a/b/"),
            ("/%41%2fB", "/A/B"), ("/...", "/..."), ("/.hidden", "/.hidden"),
            ("/caf%C3%A9", "/caf\u{E9}"),
        ]
        for (target, path) in cases {
            guard case .success(let parsed) = RequestTarget.parse(target) else { return XCTFail(target) }
            XCTAssertEqual(parsed.path, path, target)
            XCTAssertEqual(parsed.rawPath, target, target)
        }
    }

    func testPercentDecodingAcceptsBothHexCases() {
        XCTAssertEqual(PercentDecoding.decode(Array("%4a%4B%20x".utf8)), Array("JK x".utf8))
        XCTAssertNil(PercentDecoding.decode(Array("abc%".utf8)))
    }
}

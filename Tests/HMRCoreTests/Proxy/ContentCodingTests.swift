// Reading Content-Encoding: what hmrd can decode, what it passes through.

import XCTest
@testable import HMRCore

final class ContentCodingTests: XCTestCase {
    func testEachHeaderValueIsReadAsExpected() {
        let table: [(String?, ContentCoding.Parsed)] = [
            (nil, .identity),
            ("", .identity),
            ("  ", .identity),
            ("identity", .identity),
            ("Identity, identity", .identity),
            ("gzip", .coded(.gzip)),
            ("GZIP", .coded(.gzip)),
            (" gzip ", .coded(.gzip)),
            ("x-gzip", .coded(.gzip)),
            ("X-Gzip", .coded(.gzip)),
            ("deflate", .coded(.deflate)),
            ("Deflate", .coded(.deflate)),
            ("identity, gzip", .coded(.gzip)),
            ("gzip,", .coded(.gzip)),
            ("br", .unsupported("br")),
            ("zstd", .unsupported("zstd")),
            ("compress", .unsupported("compress")),
            ("x-compress", .unsupported("x-compress")),
            ("gzip, br", .unsupported("gzip, br")),
            ("gzip,gzip", .unsupported("gzip, gzip")),
            ("deflate,  gzip", .unsupported("deflate, gzip")),
            ("gzip2", .unsupported("gzip2")),
        ]
        for (value, expected) in table {
            XCTAssertEqual(ContentCoding.parse(value), expected, value.debugDescription)
        }
    }

    func testNamesAreAsAHeaderSpellsThem() {
        XCTAssertEqual(ContentCoding.gzip.name, "gzip")
        XCTAssertEqual(ContentCoding.deflate.name, "deflate")
    }
}

import XCTest
@testable import HMRCore

final class JSONEscapingTests: XCTestCase {
    private func quoted(_ s: String) -> String { JSONWriter.quoted(s) }

    /// The escaping as it was written before the byte-level writer: scalar by scalar.
    private func reference(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    func testPlainASCIIIsCopiedAsItIs() {
        XCTAssertEqual(quoted("assets/app.3f2a.js"), #""assets/app.3f2a.js""#)
        XCTAssertEqual(quoted(""), #""""#)
    }

    func testQuotesBackslashesAndCommonControlsHaveShortEscapes() {
        XCTAssertEqual(quoted("\"\\\n\r\t\u{08}\u{0C}"), #""\"\\\n\r\t\b\f""#)
    }

    func testOtherControlCharactersAndDeleteUseLowercaseUnicodeEscapes() {
        XCTAssertEqual(quoted("\u{00}\u{01}\u{1B}\u{1F}\u{7F}"), #""\u0000\u0001\u001b\u001f\u007f""#)
    }

    func testLineAndParagraphSeparatorsAreEscapedAnywhere() {
        XCTAssertEqual(quoted("\u{2028}"), #""\u2028""#)
        XCTAssertEqual(quoted("a\u{2029}"), #""a\u2029""#)
        XCTAssertEqual(quoted("\u{2028}b\u{2029}"), #""\u2028b\u2029""#)
    }

    func testOtherCharactersThatShareTheSeparatorsLeadByteAreNotEscaped() {
        // E2 82 AC, E2 80 A6, E2 80 A7, E2 80 AA: neighbours of E2 80 A8/A9.
        for s in ["€", "…", "\u{2027}", "\u{202A}", "a€\u{2028}€"] {
            XCTAssertEqual(quoted(s), reference(s), s)
        }
        XCTAssertEqual(quoted("€…"), "\"€…\"")
    }

    func testNonASCIIAndAstralCharactersAreWrittenAsTheirUTF8() {
        XCTAssertEqual(quoted("é日本💓"), "\"é日本💓\"")
        // A character outside the BMP stays four UTF-8 bytes, never a \ud83d\udc93 pair.
        XCTAssertEqual(Array(quoted("💓").utf8), [0x22, 0xF0, 0x9F, 0x92, 0x93, 0x22])
    }

    func testEscapesAtTheEdgesOfPlainRuns() {
        for s in ["\na", "a\n", "\n", "ab\"", "\"ab", "a\u{0}b\u{0}", "\u{1}\u{2}\u{3}"] {
            XCTAssertEqual(quoted(s), reference(s), s.debugDescription)
        }
    }

    func testEveryMixOfCharactersMatchesTheScalarByScalarEscaping() {
        let pool: [String] = ["a", "Z", "/", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1B}", "\u{7F}", "\u{80}",
                              "é", "€", "\u{2028}", "\u{2029}", "\u{2027}", "日", "💓", "\u{10FFFF}", "e\u{301}"]
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<2_000 {
            var s = ""
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for k in 0..<Int(seed >> 59) {
                s += pool[Int((seed >> UInt64(k % 50)) % UInt64(pool.count))]
            }
            XCTAssertEqual(quoted(s), reference(s), s.debugDescription)
        }
    }

    func testIsPlainIsTrueOnlyWhenNothingNeedsAnEscape() {
        XCTAssertTrue(JSONEscaping.isPlain("9f1c2e7a3b5d4c61"))
        XCTAssertTrue(JSONEscaping.isPlain("é日"))
        XCTAssertFalse(JSONEscaping.isPlain("a\"b"))
        XCTAssertFalse(JSONEscaping.isPlain("\u{7F}"))
        // E2 is the separators' lead byte: treated as not plain, so such a hash is re-encoded, never patched.
        XCTAssertFalse(JSONEscaping.isPlain("€"))
    }

    func testWriterBytesAndTextAreTheSame() {
        var w = JSONWriter()
        w.beginObject()
        w.key("k\n"); w.string("v💓\u{2028}")
        w.endObject()
        XCTAssertEqual(w.text, #"{"k\n":"v💓\u2028"}"#)
        XCTAssertEqual(w.bytes, Array(w.text.utf8))
    }

    func testRawValuesTakeTheirPlaceAmongCommas() {
        var w = JSONWriter()
        w.beginArray()
        w.int(1)
        w.raw(Array(#"{"a":"b"}"#.utf8))
        w.raw(Array("[]".utf8))
        w.endArray()
        XCTAssertEqual(w.text, #"[1,{"a":"b"},[]]"#)
    }
}

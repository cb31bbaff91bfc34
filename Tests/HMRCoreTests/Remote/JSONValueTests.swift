import XCTest
@testable import HMRCore

final class JSONValueTests: XCTestCase {
    func testWhatJSONWriterWritesReadsBack() throws {
        var w = JSONWriter()
        w.beginObject()
        w.key("s"); w.string("a\"\\\n\u{01}\u{2028}é💓")
        w.key("n"); w.int(-42)
        w.key("f"); w.milliFixed(1_234)
        w.key("b"); w.bool(true)
        w.key("z"); w.null()
        w.key("a"); w.stringArray(["x", "y"])
        w.endObject()
        let value = try JSONValue.parse(w.text)
        XCTAssertEqual(value["s"]?.string, "a\"\\\n\u{01}\u{2028}é💓")
        XCTAssertEqual(value["n"]?.int, -42)
        XCTAssertEqual(value["f"]?.number, 1.234)
        XCTAssertEqual(value["b"]?.bool, true)
        XCTAssertEqual(value["z"], .null)
        XCTAssertEqual(value["a"], .array([.string("x"), .string("y")]))
    }

    func testStatusAndPayloadsReadBack() throws {
        let payload = try JSONValue.parse(Payload.built(name: "n", snapshot: BuildSnapshot(time: 5, hash: "h", errors: ["e"])))
        XCTAssertEqual(payload["action"]?.string, "built")
        XCTAssertEqual(payload["time"]?.int, 5)
        XCTAssertEqual(payload["errors"]?.array, [.string("e")])
    }

    func testEscapesAndSurrogatePairsDecode() throws {
        XCTAssertEqual(try JSONValue.parse(#""\/\b\f\n\r\t\u00e9\ud83d\udc93""#), .string("/\u{08}\u{0C}\n\r\té💓"))
    }

    func testSpaceAroundTokensIsAllowed() throws {
        XCTAssertEqual(try JSONValue.parse(" { \"a\" : [ 1 , 2 ] , \"b\" : { } }\n"),
                       .object(["a": .array([.number(1), .number(2)]), "b": .object([:])]))
    }

    func testNumbersFollowTheGrammar() throws {
        XCTAssertEqual(try JSONValue.parse("0"), .number(0))
        XCTAssertEqual(try JSONValue.parse("-0.5e2"), .number(-50))
        XCTAssertEqual(try JSONValue.parse("1E+2"), .number(100))
        for bad in ["01", "1.", ".5", "-", "1e", "+1", "0x10", "NaN"] {
            XCTAssertThrowsError(try JSONValue.parse(bad), bad)
        }
    }

    func testMalformedDocumentsAreRefused() {
        for bad in ["", "{", "[1,]", "{\"a\":1,}", "{a:1}", "\"unterminated", "\"\u{01}\"", "\"\\x\"", "\"\\ud800\"",
                    "\"\\udc00\"", "\"\\u12\"", "tru", "nul", "[1] [2]", "{\"a\" 1}", "'a'"] {
            XCTAssertThrowsError(try JSONValue.parse(bad), bad)
        }
    }

    func testDeepNestingIsRefusedInsteadOfExhaustingTheStack() {
        XCTAssertNoThrow(try JSONValue.parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)))
        XCTAssertThrowsError(try JSONValue.parse(String(repeating: "[", count: 100_000)))
    }

    func testIntIsOnlyForWholeNumbers() {
        XCTAssertEqual(JSONValue.number(3).int, 3)
        XCTAssertNil(JSONValue.number(3.5).int)
        XCTAssertNil(JSONValue.string("3").int)
    }
}

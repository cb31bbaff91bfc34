import XCTest
@testable import HMRCore

final class ByteRangeTests: XCTestCase {
    private func parse(_ value: String, size: Int = 1000) -> ByteRange { ByteRange.parse(value, size: size) }

    func testTheThreeFormsOfOneRange() {
        XCTAssertEqual(parse("bytes=0-99"), .part(first: 0, last: 99))
        XCTAssertEqual(parse("bytes=100-"), .part(first: 100, last: 999))
        XCTAssertEqual(parse("bytes=-100"), .part(first: 900, last: 999))
        XCTAssertEqual(parse("bytes=0-0"), .part(first: 0, last: 0))
        XCTAssertEqual(parse("bytes=999-999"), .part(first: 999, last: 999))
    }

    func testAnEndPastTheFileIsCutToItsLastByteAndASuffixLongerThanTheFileIsTheWholeFile() {
        XCTAssertEqual(parse("bytes=500-5000"), .part(first: 500, last: 999))
        XCTAssertEqual(parse("bytes=-5000"), .part(first: 0, last: 999))
        XCTAssertEqual(parse("bytes=0-99999999999999999999999"), .part(first: 0, last: 999))
    }

    func testARangeWhollyPastTheEndIsUnsatisfiable() {
        XCTAssertEqual(parse("bytes=1000-"), .unsatisfiable)
        XCTAssertEqual(parse("bytes=1000-2000"), .unsatisfiable)
        XCTAssertEqual(parse("bytes=99999999999999999999999-"), .unsatisfiable)
        XCTAssertEqual(parse("bytes=-0"), .unsatisfiable)
        XCTAssertEqual(parse("bytes=0-", size: 0), .unsatisfiable)
        XCTAssertEqual(parse("bytes=-5", size: 0), .unsatisfiable)
    }

    func testWhitespaceAndTheUnitsCaseAreTolerated() {
        XCTAssertEqual(parse("  bytes=10-20 "), .part(first: 10, last: 20))
        XCTAssertEqual(parse("Bytes=10-20"), .part(first: 10, last: 20))
        XCTAssertEqual(parse("bytes= 10 - 20"), .part(first: 10, last: 20))
    }

    func testWhatHmrdDoesNotTakeIsAnsweredWithTheWholeFile() {
        for value in ["", "bytes=", "bytes=-", "bytes=20-10", "bytes=0-1,5-9", "items=0-9", "bytes=a-9",
                      "bytes=+1-9", "bytes=1-+9", "bytes=0x10-20", "bytes 0-9", "bytes=1-2-3", "bytes=١-٢"] {
            XCTAssertEqual(parse(value), .whole, value)
        }
    }

    func testOnlyOneRangeHeaderAndNoIfRangeAreHonoured() {
        XCTAssertEqual(ByteRange.requested(in: makeHead("GET", "/v.mp4", .http11, [("Range", "bytes=0-9")]), size: 100),
                       .part(first: 0, last: 9))
        XCTAssertEqual(ByteRange.requested(in: makeHead("GET", "/v.mp4", .http11, [("range", "bytes=0-9")]), size: 100),
                       .part(first: 0, last: 9))
        XCTAssertEqual(ByteRange.requested(in: makeHead(), size: 100), .whole)
        XCTAssertEqual(ByteRange.requested(in: makeHead("GET", "/", .http11, [("Range", "bytes=0-9"), ("Range", "bytes=10-19")]),
                                           size: 100), .whole)
        XCTAssertEqual(ByteRange.requested(in: makeHead("GET", "/", .http11, [("Range", "bytes=0-9"),
                                                                                ("If-Range", "\"abc\"")]), size: 100), .whole)
    }

    func testTheAnswerSaysWhichBytesComeAndHowMany() {
        func fields(_ answer: (status: HTTPStatus, headers: [HeaderField])) -> [String] {
            ["\(answer.status.code)"] + answer.headers.map { "\($0.name): \($0.value)" }
        }
        XCTAssertEqual(fields(ByteRange.whole.answer(size: 1000)),
                       ["200", "Content-Length: 1000", "Accept-Ranges: bytes"])
        XCTAssertEqual(fields(ByteRange.part(first: 100, last: 199).answer(size: 1000)),
                       ["206", "Content-Length: 100", "Content-Range: bytes 100-199/1000", "Accept-Ranges: bytes"])
        XCTAssertEqual(fields(ByteRange.unsatisfiable.answer(size: 1000)),
                       ["416", "Content-Range: bytes */1000", "Content-Length: 0"])
    }
}

import XCTest
@testable import HMRCore

final class RecentBuildsTests: XCTestCase {
    private func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    func testAPublishedBuildIsFoundByItsHashAndAnUnknownOneIsNot() {
        var recent = RecentBuilds()
        recent.record(hash: "aaaaaaaaaaaaaaaa", modules: json(#"{"a.css":"1"}"#))
        recent.record(hash: "bbbbbbbbbbbbbbbb", modules: json(#"{"a.css":"2"}"#))
        XCTAssertEqual(recent.modules(of: "aaaaaaaaaaaaaaaa"), json(#"{"a.css":"1"}"#))
        XCTAssertEqual(recent.modules(of: "bbbbbbbbbbbbbbbb"), json(#"{"a.css":"2"}"#))
        XCTAssertNil(recent.modules(of: "cccccccccccccccc"))
    }

    func testOnlyTheLastEightAreKept() {
        var recent = RecentBuilds()
        let hashes = (0..<10).map { String(repeating: String($0), count: 16) }
        for (n, hash) in hashes.enumerated() { recent.record(hash: hash, modules: json("{\"n\":\"\(n)\"}")) }
        XCTAssertNil(recent.modules(of: hashes[0]))
        XCTAssertNil(recent.modules(of: hashes[1]))
        for n in 2..<10 { XCTAssertEqual(recent.modules(of: hashes[n]), json("{\"n\":\"\(n)\"}")) }
    }

    func testAHashSeenAgainMovesToTheFrontInsteadOfTakingASecondPlace() {
        var recent = RecentBuilds()
        let a = String(repeating: "a", count: 16)
        recent.record(hash: a, modules: json("{}"))
        for n in 0..<7 { recent.record(hash: String(repeating: String(n), count: 16), modules: json("{}")) }
        recent.record(hash: a, modules: json("{}"))  // a build back to the first output
        recent.record(hash: String(repeating: "7", count: 16), modules: json("{}"))
        XCTAssertNotNil(recent.modules(of: a), "a was made newest again, so the ninth record dropped 0, not a")
        XCTAssertNil(recent.modules(of: String(repeating: "0", count: 16)))
    }

    func testTheEmptyHashOfNoBuildYetIsNotRecorded() {
        var recent = RecentBuilds()
        recent.record(hash: "", modules: json("{}"))
        XCTAssertNil(recent.modules(of: ""))
    }

    func testLargeMapsAreKeptOnlyWithinTheByteBudgetButTheNewestAlways() {
        var recent = RecentBuilds()
        let big = [UInt8](repeating: 0x20, count: RecentBuilds.byteBudget / 3)
        let hashes = (0..<4).map { String(repeating: String($0), count: 16) }
        for hash in hashes { recent.record(hash: hash, modules: big) }
        XCTAssertNil(recent.modules(of: hashes[0]), "four thirds of the budget: the oldest goes")
        for hash in hashes.dropFirst() { XCTAssertNotNil(recent.modules(of: hash)) }
        let huge = [UInt8](repeating: 0x20, count: RecentBuilds.byteBudget * 2)
        recent.record(hash: "ffffffffffffffff", modules: huge)
        XCTAssertNotNil(recent.modules(of: "ffffffffffffffff"))
        for hash in hashes { XCTAssertNil(recent.modules(of: hash)) }
    }

    func testTheHashABuildListsForAFileIsReadFromItsMap() {
        var recent = RecentBuilds()
        let build = String(repeating: "b", count: 16)
        let map = ModuleMap(["css/app.css": "00000000000000aa", "odd\":\"x.css": "00000000000000bb",
                             "x.css": "00000000000000cc", "00000000000000aa": "00000000000000dd"])
        recent.record(hash: build, modules: map.json)
        XCTAssertEqual(recent.hash(of: "css/app.css", inBuild: build), "00000000000000aa")
        XCTAssertEqual(recent.hash(of: "x.css", inBuild: build), "00000000000000cc", "not the tail of another key")
        XCTAssertEqual(recent.hash(of: "odd\":\"x.css", inBuild: build), "00000000000000bb")
        XCTAssertEqual(recent.hash(of: "00000000000000aa", inBuild: build), "00000000000000dd", "a key, not a value")
        XCTAssertNil(recent.hash(of: "missing.css", inBuild: build))
        XCTAssertNil(recent.hash(of: "x.css", inBuild: String(repeating: "c", count: 16)))
    }
}

import XCTest
@testable import HMRCore

/// A map made by `updating` must be, byte for byte, the map made afresh from its entries.
final class ModuleMapUpdatingTests: XCTestCase {
    private func assertSameAsFresh(_ map: ModuleMap, file: StaticString = #filePath, line: UInt = #line) {
        let fresh = ModuleMap(map.entries)
        XCTAssertEqual(map.sortedPaths, fresh.sortedPaths, file: file, line: line)
        XCTAssertEqual(map.buildHash, fresh.buildHash, file: file, line: line)
        XCTAssertEqual(map.json, fresh.json, file: file, line: line)
        XCTAssertEqual(map, fresh, file: file, line: line)
    }

    private func hash(_ n: Int) -> String { ContentHash.hex(UInt64(n) &* 0x9E37_79B9_7F4A_7C15) }

    private var base: ModuleMap {
        ModuleMap(Dictionary(uniqueKeysWithValues: (0..<50).map { ("d\($0 % 5)/f\($0).js", hash($0)) }))
    }

    func testAChangedHashIsPatchedInPlaceOfTheOld() {
        let next = base.updating([.init(path: "d3/f13.js", hash: hash(1_000))])
        assertSameAsFresh(next)
        XCTAssertEqual(next.changes(since: base), ModuleChanges(updated: ["d3/f13.js"]))
        XCTAssertEqual(next.sortedPaths, base.sortedPaths)
        XCTAssertNotEqual(next.buildHash, base.buildHash)
    }

    func testTheMapItWasMadeFromIsLeftAsItWas() {
        let before = base
        let json = before.json, hash = before.buildHash
        _ = before.updating([.init(path: "d0/f0.js", hash: self.hash(7)), .init(path: "new.css", hash: self.hash(8))])
        XCTAssertEqual(before.json, json)
        XCTAssertEqual(before.buildHash, hash)
        XCTAssertEqual(before.entries["d0/f0.js"], self.hash(0))
    }

    func testAddedAndRemovedPathsAreMergedIntoTheOrder() {
        let next = base.updating([.init(path: "a.html", hash: hash(1)), .init(path: "d2/f12.js", hash: nil),
                                  .init(path: "d2/f120.js", hash: hash(2)), .init(path: "zz/end", hash: hash(3)),
                                  .init(path: "d4/f4.js", hash: hash(44))])
        assertSameAsFresh(next)
        XCTAssertEqual(next.changes(since: base),
                       ModuleChanges(added: ["a.html", "d2/f120.js", "zz/end"], removed: ["d2/f12.js"], updated: ["d4/f4.js"]))
    }

    func testHashesOfAnotherLengthOrThatNeedEscapesAreEncodedAfresh() {
        for odd in ["short", "with \"quote\"", "€uro-prefixed-16"] {
            let next = base.updating([.init(path: "d1/f1.js", hash: odd)])
            assertSameAsFresh(next)
            assertSameAsFresh(next.updating([.init(path: "d1/f1.js", hash: hash(1))]))
        }
    }

    func testPathsThatNeedEscapesAreEncodedAsTheWriterWould() {
        let map = ModuleMap(["a\"b.js": "1", "c\\d/\u{2028}.css": "2", "ü/💓.png": "3", "tab\t": "4"])
        let next = map.updating([.init(path: "tab\t", hash: "5"), .init(path: "new\n", hash: "6")])
        assertSameAsFresh(next)
        var w = JSONWriter()
        w.stringMap(next.sortedPaths.map { ($0, next.entries[$0]!) })
        XCTAssertEqual(next.json, w.bytes)
    }

    func testNoChangeAndSameHashChangesLeaveTheBytesAndSayNothing() {
        let next = base.updating([.init(path: "d0/f5.js", hash: hash(5)), .init(path: "gone", hash: nil)])
        assertSameAsFresh(next)
        XCTAssertTrue(next.changes(since: base).isEmpty)
        XCTAssertEqual(next.json, base.json)
    }

    func testForAPathListedTwiceTheLastChangeCounts() {
        let next = base.updating([.init(path: "x", hash: hash(1)), .init(path: "x", hash: nil),
                                  .init(path: "d0/f0.js", hash: hash(2)), .init(path: "d0/f0.js", hash: hash(0))])
        assertSameAsFresh(next)
        XCTAssertTrue(next.changes(since: base).isEmpty)
    }

    func testTwoSpellingsOfOneNameStillGiveAConsistentMap() {
        // String equality merges them in the dictionary; the order falls back to a fresh sort.
        let map = ModuleMap(["caf\u{E9}.css": "1", "a": "2"])
        let next = map.updating([.init(path: "cafe\u{301}.css", hash: "3")])
        XCTAssertEqual(next.entries.count, 2)
        assertSameAsFresh(next)
    }

    func testChangesAgainstAMapOfAnotherLineAreFoundByComparingBoth() {
        let other = ModuleMap(["d0/f0.js": hash(0), "extra": hash(9)])
        XCTAssertEqual(base.changes(since: other).removed, ["extra"])
        XCTAssertEqual(base.changes(since: other).added.count, 49)
        XCTAssertEqual(base.changes(since: base), ModuleChanges())
        XCTAssertEqual(ModuleMap(base.entries).changes(since: base), ModuleChanges())
    }

    func testAnEmptyMapHashesNothing() {
        XCTAssertEqual(ModuleMap().buildHash, "2d06800538d394c2")
        XCTAssertEqual(ModuleMap().json, Array("{}".utf8))
        assertSameAsFresh(ModuleMap(["a": "1"]).updating([.init(path: "a", hash: nil)]))
    }

    func testRandomSeriesOfChangesAlwaysMatchAFreshMap() {
        var seed: UInt64 = 7
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33) % bound
        }
        var map = base
        for _ in 0..<200 {
            let old = map
            var changes: [ModuleMap.Change] = []
            for _ in 0..<(1 + next(4)) {
                let path = "d\(next(6))/f\(next(60)).js"
                changes.append(.init(path: path, hash: next(5) == 0 ? nil : next(9) == 0 ? "odd" : hash(next(1_000))))
            }
            map = map.updating(changes)
            assertSameAsFresh(map)
            XCTAssertEqual(map.changes(since: old), ModuleMap(map.entries).changes(since: ModuleMap(old.entries)))
        }
    }
}

import XCTest
@testable import HMRCore

final class ModuleMapTests: XCTestCase {
    func testChangesListAddedRemovedAndUpdatedSorted() {
        let old = ModuleMap(["a.css": "1", "b.js": "2", "z.png": "3"])
        let new = ModuleMap(["b.js": "2", "a.css": "9", "c/d.html": "4", "B.txt": "5"])
        XCTAssertEqual(new.changes(since: old),
                       ModuleChanges(added: ["B.txt", "c/d.html"], removed: ["z.png"], updated: ["a.css"]))
    }

    func testSameMapHasNoChanges() {
        let map = ModuleMap(["a": "1"])
        XCTAssertTrue(map.changes(since: map).isEmpty)
    }

    func testBuildHashDependsOnPathsAndHashesNotInsertionOrder() {
        var a: [String: String] = [:]
        a["x"] = "1"; a["y"] = "2"
        var b: [String: String] = [:]
        b["y"] = "2"; b["x"] = "1"
        XCTAssertEqual(ModuleMap(a).buildHash, ModuleMap(b).buildHash)
        XCTAssertNotEqual(ModuleMap(["x": "1"]).buildHash, ModuleMap(["x": "2"]).buildHash)
        XCTAssertNotEqual(ModuleMap(["x": "1"]).buildHash, ModuleMap(["y": "1"]).buildHash)
    }

    func testBuildHashIsXXH3OfPathNulHashLines() {
        let map = ModuleMap(["b": "2", "a": "1"])
        XCTAssertEqual(map.buildHash, ContentHash.hex(ContentHash.of(Array("a\u{0}1\nb\u{0}2\n".utf8))))
        XCTAssertEqual(map.buildHash.count, 16)
    }

    func testContentHashIsKnownXXH3Value() {
        // XXH3-64 of the empty input, from the xxhash reference.
        XCTAssertEqual(ContentHash.hex(ContentHash.of([UInt8]())), "2d06800538d394c2")
    }

    func testStreamingHashEqualsOneShot() {
        let bytes = (0..<100_000).map { UInt8($0 % 251) }
        let streaming = StreamingContentHash()
        bytes.withUnsafeBytes { all in
            streaming.update(UnsafeRawBufferPointer(rebasing: all[0..<3]))
            streaming.update(UnsafeRawBufferPointer(rebasing: all[3..<70_000]))
            streaming.update(UnsafeRawBufferPointer(rebasing: all[70_000...]))
        }
        XCTAssertEqual(streaming.finish(), ContentHash.of(bytes))
    }

    func testHexIsZeroPadded() {
        XCTAssertEqual(ContentHash.hex(0xAB), "00000000000000ab")
    }
}

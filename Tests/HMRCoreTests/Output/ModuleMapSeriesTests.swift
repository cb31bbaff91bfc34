import XCTest
@testable import HMRCore

final class ModuleMapSeriesTests: XCTestCase {
    private func hash(_ n: Int) -> String { ContentHash.hex(UInt64(n) &* 0x9E37_79B9_7F4A_7C15) }

    private func firstWalk() -> [ModuleMap.Change] {
        (0..<40).map { .init(path: "d\($0 % 4)/f\($0).bin", hash: hash($0)) }
    }

    func testEachMapIsTheLastWithTheWalksChanges() {
        var series = ModuleMapSeries()
        let first = series.next(firstWalk())
        XCTAssertEqual(first, ModuleMap(Dictionary(uniqueKeysWithValues: firstWalk().map { ($0.path, $0.hash!) })))
        XCTAssertEqual(first.changes(since: ModuleMap()).added.count, 40)
        var previous = first
        for round in 1...20 {
            let changes: [ModuleMap.Change] = round % 5 == 0
                ? [.init(path: "r\(round)", hash: hash(round)), .init(path: "d1/f\(round)", hash: nil)]
                : [.init(path: "d\(round % 4)/f\(round).bin", hash: hash(round + 100))]
            let map = series.next(changes)
            XCTAssertEqual(map, previous.updating(changes), "round \(round)")
            XCTAssertEqual(map.buildHash, ModuleMap(map.entries).buildHash)
            XCTAssertEqual(map.json, ModuleMap(map.entries).json)
            XCTAssertEqual(map.changes(since: previous), previous.updating(changes).changes(since: previous))
            previous = map
        }
    }

    func testMapsSomeoneStillHoldsNeverChange() {
        var series = ModuleMapSeries()
        var held: [(map: ModuleMap, json: [UInt8], hash: String, entries: [String: String])] = []
        _ = series.next(firstWalk())
        for round in 0..<12 {
            let map = series.next([.init(path: "d0/f\(round * 4).bin", hash: hash(round + 500))])
            held.append((map, map.json, map.buildHash, map.entries))
        }
        for (map, json, hash, entries) in held {
            XCTAssertEqual(map.json, json)
            XCTAssertEqual(map.buildHash, hash)
            XCTAssertEqual(map.entries, entries)
        }
    }

    func testAWalkThatChangedNothingKeepsTheMapSoTheNextOneDescendsFromThePublishedOne() {
        var series = ModuleMapSeries()
        _ = series.next(firstWalk())
        let published = series.next([.init(path: "d0/f0.bin", hash: hash(7))])
        let checked = series.next([])
        XCTAssertTrue(checked.revision === published.revision)
        let next = series.next([.init(path: "d1/f1.bin", hash: hash(8))])
        XCTAssertTrue(next.lineage?.base === published.revision, "changes(since: published) would diff every entry")
        XCTAssertEqual(next.changes(since: published), ModuleChanges(updated: ["d1/f1.bin"]))
    }

    func testRestartBeginsAgainFromTheGivenMap() {
        var series = ModuleMapSeries()
        _ = series.next(firstWalk())
        _ = series.next([.init(path: "d0/f0.bin", hash: hash(1))])
        let fresh = ModuleMap(["only": hash(2)])
        series.restart(from: fresh)
        let next = series.next([.init(path: "second", hash: hash(3))])
        XCTAssertEqual(next, ModuleMap(["only": hash(2), "second": hash(3)]))
        XCTAssertEqual(next.changes(since: fresh), ModuleChanges(added: ["second"]))
    }
}

import XCTest
@testable import HMRCore

final class RecentGraphsTests: XCTestCase {
    private func graph(_ hash: String) -> ModuleGraph {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [.init(key: "a.js", hash: hash, scan: ModuleScan())], removed: [])
        return graph
    }

    func testEachRecentBuildKeepsItsOwnGraph() throws {
        var recent = RecentGraphs()
        recent.record(hash: "1111111111111111", graph: graph("000000000000000a"))
        recent.record(hash: "2222222222222222", graph: graph("000000000000000b"))
        let first = try XCTUnwrap(recent.json(ofBuild: "1111111111111111"))
        let second = try XCTUnwrap(recent.json(ofBuild: "2222222222222222"))
        XCTAssertEqual(first, graph("000000000000000a").json(buildHash: "1111111111111111"))
        XCTAssertEqual(second, graph("000000000000000b").json(buildHash: "2222222222222222"))
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(recent.json(ofBuild: "1111111111111111"), first, "the encoded graph is kept")
    }

    func testBuildsPastTheCapacityAreForgotten() {
        var recent = RecentGraphs()
        for n in 0...RecentGraphs.capacity {
            recent.record(hash: String(repeating: String(n, radix: 16), count: 16), graph: graph("0000000000000001"))
        }
        XCTAssertNil(recent.json(ofBuild: String(repeating: "0", count: 16)))
        XCTAssertNotNil(recent.json(ofBuild: String(repeating: "1", count: 16)))
        XCTAssertNil(recent.json(ofBuild: ""))
    }

    func testTheBuildAskedForIsAHexHashInTheQuery() {
        XCTAssertEqual(RecentGraphs.askedForBuild("build=0123456789abcdef"), "0123456789abcdef")
        XCTAssertNil(RecentGraphs.askedForBuild(nil))
        XCTAssertNil(RecentGraphs.askedForBuild("build=nothex"))
    }

    func testAPageWithTheEarlierGraphGetsTheDifferenceAndOtherwiseTheWholeGraph() throws {
        var recent = RecentGraphs()
        let one = "1111111111111111", two = "2222222222222222", unknown = "3333333333333333"
        recent.record(hash: one, graph: graph("000000000000000a"))
        recent.record(hash: two, graph: graph("000000000000000b"))
        let delta = try XCTUnwrap(recent.json(ofBuild: two, since: one))
        XCTAssertEqual(delta, graph("000000000000000b").json(buildHash: two, since: one, earlier: graph("000000000000000a")))
        XCTAssertEqual(recent.json(ofBuild: two, since: one), delta, "kept for the next page")
        XCTAssertEqual(recent.json(ofBuild: two, since: unknown), recent.json(ofBuild: two))
        XCTAssertEqual(recent.json(ofBuild: two, since: two), recent.json(ofBuild: two))
        XCTAssertEqual(recent.json(ofBuild: two, since: nil), recent.json(ofBuild: two))
        XCTAssertNil(recent.json(ofBuild: unknown, since: one))
        XCTAssertEqual(RecentGraphs.askedSince("build=\(two)&since=\(one)"), one)
        XCTAssertNil(RecentGraphs.askedSince("build=\(two)&since=x"))
    }
}


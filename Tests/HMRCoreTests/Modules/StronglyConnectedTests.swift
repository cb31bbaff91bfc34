// Tarjan's components on small graphs given as adjacency lists: what they are, that
// each comes after those it reaches, and that nodes outside the subgraph are skipped.

import XCTest
@testable import HMRCore

final class StronglyConnectedTests: XCTestCase {
    private func components(_ edges: [[Int]], roots: [Int]? = nil, within: [Bool]? = nil) -> [[Int]] {
        let found = StronglyConnected(roots: roots ?? Array(edges.indices),
                                      within: within ?? [Bool](repeating: true, count: edges.count)) { node, i in
            i < edges[node].count ? edges[node][i] : nil
        }
        return found.components.map { $0.sorted() }
    }

    func testEachNodeOfADAGIsItsOwnComponentAfterWhatItImports() {
        XCTAssertEqual(components([[1, 2], [2], []]), [[2], [1], [0]])
    }

    func testCyclesAreOneComponentEach() {
        // 0 → 1 → 2 → 0, 2 → 3 → 4 → 3
        XCTAssertEqual(components([[1], [2], [0, 3], [4], [3]]), [[3, 4], [0, 1, 2]])
    }

    func testEveryComponentComesAfterThoseItReaches() {
        var random = SeededGenerator(state: 42)
        for _ in 0..<50 {
            let count = Int.random(in: 1...30, using: &random)
            let edges = (0..<count).map { node in
                (0..<Int.random(in: 0...3, using: &random)).map { _ in Int.random(in: 0..<count, using: &random) }
                    .filter { $0 != node }
            }
            let found = components(edges)
            XCTAssertEqual(found.flatMap { $0 }.sorted(), Array(0..<count))
            var componentOf: [Int: Int] = [:]
            for (index, members) in found.enumerated() { for node in members { componentOf[node] = index } }
            for (node, targets) in edges.enumerated() {
                for target in targets { XCTAssertLessThanOrEqual(componentOf[target]!, componentOf[node]!) }
            }
        }
    }

    func testNodesOutsideTheSubgraphAreNeitherVisitedNorReturned() {
        // 0 → 1 → 2 → 0 with 1 left out: no cycle remains.
        XCTAssertEqual(components([[1], [2], [0]], within: [true, false, true]), [[0], [2]])
    }
}

// The graph's nodes, each copied only when it is written. The daemon keeps the graphs
// of the last few builds (RecentGraphs), so with a plain array the next update copied
// all 2,000 nodes (each key, scan and edge list retained) to change the five it moved.

extension ModuleGraph {
    struct Nodes: Sendable {
        // Written only when no other graph holds it (see the subscript), so never shared mutably.
        private final class Box: @unchecked Sendable {
            var node: Node
            init(_ node: Node) { self.node = node }
        }

        private var boxes: [Box] = []

        var count: Int { boxes.count }
        var indices: Range<Int> { boxes.indices }

        subscript(id: Int) -> Node {
            _read { yield boxes[id].node }
            _modify {
                if !isKnownUniquelyReferenced(&boxes[id]) { boxes[id] = Box(boxes[id].node) }
                yield &boxes[id].node
            }
        }

        mutating func append(_ node: Node) { boxes.append(Box(node)) }
    }
}

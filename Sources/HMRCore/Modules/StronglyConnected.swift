// Tarjan's strongly connected components, without recursion: an import chain can be
// thousands of modules deep, deeper than a thread's stack allows for recursive calls.
// Components come out dependencies first, which is the order versions are computed in.

struct StronglyConnected {
    /// Every component's nodes, one component after another.
    private(set) var members: [Int] = []
    /// Where each component ends in `members`.
    private(set) var ends: [Int] = []

    var components: [ArraySlice<Int>] {
        ends.indices.map { members[($0 == 0 ? 0 : ends[$0 - 1])..<ends[$0]] }
    }

    /// The components of the subgraph of nodes for which `within` is true, each after all
    /// those it reaches. `successor(node, i)` is the node's i-th edge, nil past the last;
    /// edges leaving the subgraph are skipped.
    init(roots: [Int], within: [Bool], successor: (Int, Int) -> Int?) {
        let unvisited: Int32 = -1
        var index = [Int32](repeating: unvisited, count: within.count)
        var lowLink = [Int32](repeating: 0, count: within.count)
        var onStack = [Bool](repeating: false, count: within.count)
        var stack: [Int] = []
        var calls: [(node: Int, edge: Int)] = []
        var nextIndex: Int32 = 0
        members.reserveCapacity(roots.count)

        func visit(_ node: Int) {
            index[node] = nextIndex
            lowLink[node] = nextIndex
            nextIndex += 1
            stack.append(node)
            onStack[node] = true
            calls.append((node, 0))
        }

        for root in roots where within[root] && index[root] == unvisited {
            visit(root)
            while let (node, edge) = calls.last {
                if let next = successor(node, edge) {
                    calls[calls.count - 1].edge += 1
                    guard within[next] else { continue }
                    if index[next] == unvisited {
                        visit(next)
                    } else if onStack[next] {
                        lowLink[node] = min(lowLink[node], index[next])
                    }
                    continue
                }
                calls.removeLast()
                if let caller = calls.last?.node { lowLink[caller] = min(lowLink[caller], lowLink[node]) }
                guard lowLink[node] == index[node] else { continue }
                while true {
                    let member = stack.removeLast()
                    onStack[member] = false
                    members.append(member)
                    if member == node { break }
                }
                ends.append(members.count)
            }
        }
    }
}

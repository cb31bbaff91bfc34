// Module versions, and recomputing only those an update can have moved: the changed
// and removed modules' importers, transitively. Components come from StronglyConnected
// so a cycle's members share one hash of the whole cycle; the encoding is below.

extension ModuleGraph {
    /// Sixteen hex digits; nil when `key` is not a module in the graph.
    public func version(of key: String) -> String? {
        guard let id = ids[key], nodes[id].isModule else { return nil }
        return ContentHash.hex(nodes[id].version)
    }

    /// Recomputes `modules`, which must hold every importer of each of them: then every
    /// import outside the set has a version that this update did not move.
    mutating func recomputeVersions(of modules: [Int]) {
        var within = [Bool](repeating: false, count: nodes.count)
        for id in modules { within[id] = true }
        let components = components(of: modules, within: within)
        var words: [UInt64] = []
        words.reserveCapacity(256)
        for component in components.components { assignVersions(component, words: &words) }
    }

    // Not in the mutating caller: a copy of `nodes` alive there would make each write copy its node.
    private func components(of modules: [Int], within: [Bool]) -> StronglyConnected {
        StronglyConnected(roots: modules, within: within) { id, edge in
            edge < nodes[id].edges.count ? nodes[id].edges[edge] : nil
        }
    }

    /// Versions hash 64-bit words, little-endian. A component's hash is XXH3-64 over, for
    /// each member in key order (PathOrder): its name, its content hash, the number n of its
    /// imports (static, then dynamic, in order) that are modules outside the component, and
    /// each one's name and version (2n words). A member's version is XXH3-64 over the words
    /// component-hash and name, so a cycle's members differ. A name is the XXH3-64 of the
    /// key's UTF-8. Most components are one module, which imports nothing inside it.
    private mutating func assignVersions(_ component: ArraySlice<Int>, words: inout [UInt64]) {
        words.removeAll(keepingCapacity: true)
        if component.count == 1 {
            appendMember(component[component.startIndex], outside: nil, to: &words)
        } else {
            let inside = Set(component)
            for id in component.sorted(by: { PathOrder.compare(nodes[$0].key, nodes[$1].key) < 0 }) {
                appendMember(id, outside: inside, to: &words)
            }
        }
        let componentHash = words.withUnsafeBytes { ContentHash.of($0) }
        for id in component {
            let pair = (componentHash.littleEndian, nodes[id].name.littleEndian)
            nodes[id].version = withUnsafeBytes(of: pair) { ContentHash.of($0) }
        }
    }

    private func appendMember(_ id: Int, outside inside: Set<Int>?, to words: inout [UInt64]) {
        words.append(nodes[id].name.littleEndian)
        words.append(nodes[id].content.littleEndian)
        let countAt = words.count
        words.append(0)
        for dependency in nodes[id].edges where nodes[dependency].isModule && inside?.contains(dependency) != true {
            words.append(nodes[dependency].name.littleEndian)
            words.append(nodes[dependency].version.littleEndian)
        }
        words[countAt] = UInt64((words.count - countAt - 1) / 2).littleEndian
    }
}

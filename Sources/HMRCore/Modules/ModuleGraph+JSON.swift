// The graph as the browser client fetches it (`GET /__hmr/graph`): for each module in
// key order its version, its imports and dynamic imports that are modules in the graph,
// and `"hot":true` when it mentions `import.meta.hot`. Empty `dynamic` and false `hot`
// are left out, as most modules have neither. Asked `since` an earlier build, only the
// modules whose version moved and the keys that left: an edit's few, not all 2,000.

extension ModuleGraph {
    /// `{"hash":"<build hash>","modules":{"app.js":{"version":"…","imports":[…],"dynamic":[…],"hot":true},…}}`
    public func json(buildHash: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("hash")
        writer.string(buildHash)
        writer.key("modules")
        writeModules(nodes.indices.filter { nodes[$0].isModule }, to: &writer)
        writer.endObject()
        return writer.bytes
    }

    /// `{"hash":"…","since":"<earlier hash>","modules":{…only those new or of another
    /// version…},"removed":[…]}`: what turns `earlier`'s graph into this one.
    public func json(buildHash: String, since earlierHash: String, earlier: ModuleGraph) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("hash")
        writer.string(buildHash)
        writeDifference(difference(from: earlier), since: earlierHash, to: &writer)
        writer.endObject()
        return writer.bytes
    }

    /// The same difference without the hash, `{"since":…,"modules":…,"removed":…}`, to ride in
    /// the `built` payload: nil when more than `limit` modules moved (pages then ask for it),
    /// and when none did (no page has a module update to make).
    public func payloadDifference(since earlierHash: String, earlier: ModuleGraph, limit: Int) -> [UInt8]? {
        let difference = difference(from: earlier)
        guard difference.moved.count <= limit, !(difference.moved.isEmpty && difference.removed.isEmpty) else { return nil }
        var writer = JSONWriter()
        writer.beginObject()
        writeDifference(difference, since: earlierHash, to: &writer)
        writer.endObject()
        return writer.bytes
    }

    private func difference(from earlier: ModuleGraph) -> (moved: [Int], removed: [String]) {
        // A key keeps its id from build to build unless its slot was freed and reused, so
        // each module is first compared with the same slot in `earlier`: no key is hashed.
        let sameSlot = { (id: Int) -> Bool in id < earlier.nodes.count && earlier.nodes[id].key == self.nodes[id].key }
        let moved = nodes.indices.filter { id in
            guard nodes[id].isModule else { return false }
            if sameSlot(id) { return !earlier.nodes[id].isModule || earlier.nodes[id].version != nodes[id].version }
            return earlier.rawVersion(of: nodes[id].key) != nodes[id].version
        }
        var removed: [String] = []
        for id in earlier.nodes.indices where earlier.nodes[id].isModule {
            let gone = sameSlot(id) ? !nodes[id].isModule : rawVersion(of: earlier.nodes[id].key) == nil
            if gone { removed.append(earlier.nodes[id].key) }
        }
        return (moved, removed.sorted(by: ModuleMap.pathOrder))
    }

    private func writeDifference(_ difference: (moved: [Int], removed: [String]), since earlierHash: String,
                                 to writer: inout JSONWriter) {
        writer.key("since")
        writer.string(earlierHash)
        writer.key("modules")
        writeModules(difference.moved, to: &writer)
        writer.key("removed")
        writer.stringArray(difference.removed)
    }

    /// `"modules":{…}` of these ids, in key order.
    private func writeModules(_ ids: [Int], to writer: inout JSONWriter) {
        writer.beginObject()
        for id in ids.sorted(by: { PathOrder.compare(nodes[$0].key, nodes[$1].key) < 0 }) {
            writer.key(nodes[id].key)
            writer.beginObject()
            writer.key("version")
            writer.string(ContentHash.hex(nodes[id].version))
            writer.key("imports")
            writer.stringArray(moduleKeys(nodes[id].imports))
            let dynamic = moduleKeys(nodes[id].dynamicImports)
            if !dynamic.isEmpty {
                writer.key("dynamic")
                writer.stringArray(dynamic)
            }
            if nodes[id].scan.mentionsHot {
                writer.key("hot")
                writer.bool(true)
            }
            writer.endObject()
        }
        writer.endObject()
    }

    private func rawVersion(of key: String) -> UInt64? {
        guard let id = ids[key], nodes[id].isModule else { return nil }
        return nodes[id].version
    }

    /// The keys of those ids that are modules now; an import of a missing file is not shown.
    private func moduleKeys(_ ids: ArraySlice<Int>) -> [String] {
        ids.compactMap { nodes[$0].isModule ? nodes[$0].key : nil }
    }
}

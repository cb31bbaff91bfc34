// The graph as the browser client fetches it (`GET /__hmr/graph`): for each module in
// key order its version, its imports and dynamic imports that are modules in the graph,
// and `"hot":true` when it mentions `import.meta.hot`. Empty `dynamic` and false `hot`
// are left out, as most modules have neither.

extension ModuleGraph {
    /// `{"hash":"<build hash>","modules":{"app.js":{"version":"…","imports":[…],"dynamic":[…],"hot":true},…}}`
    public func json(buildHash: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("hash")
        writer.string(buildHash)
        writer.key("modules")
        writer.beginObject()
        let modules = nodes.indices.filter { nodes[$0].isModule }
            .sorted { PathOrder.compare(nodes[$0].key, nodes[$1].key) < 0 }
        for id in modules {
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
        writer.endObject()
        return writer.bytes
    }

    /// The keys of those ids that are modules now; an import of a missing file is not shown.
    private func moduleKeys(_ ids: ArraySlice<Int>) -> [String] {
        ids.compactMap { nodes[$0].isModule ? nodes[$0].key : nil }
    }
}

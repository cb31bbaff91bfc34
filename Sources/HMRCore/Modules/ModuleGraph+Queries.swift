// What the rest of hmrd asks of the graph about one module: its content, where its
// imports lead and who imports it. Keys come back as they are stored; lists of
// importers in key order (PathOrder), so callers and tests see one order.

extension ModuleGraph {
    /// A module as the graph holds it.
    public struct Module: Sendable, Equatable {
        public var key: String
        public var hash: String
        /// Static imports and `export … from`: every key they name, module or not yet, in order.
        public var imports: [String]
        /// `import()` with a literal: every key they name, module or not yet, in order.
        public var dynamicImports: [String]
        public var mentionsHot: Bool
        /// The scan the module was read with; its offsets are what ImportRewriter edits.
        public var scan: ModuleScan
    }

    public func module(_ key: String) -> Module? {
        guard let id = ids[key], nodes[id].isModule else { return nil }
        let node = nodes[id]
        return Module(key: key, hash: node.hash, imports: node.imports.map { nodes[$0].key },
                      dynamicImports: node.dynamicImports.map { nodes[$0].key },
                      mentionsHot: node.scan.mentionsHot, scan: node.scan)
    }

    /// The scan a module was read with, for ImportRewriter, without building a whole `Module`.
    public func scan(of key: String) -> ModuleScan? {
        guard let id = ids[key], nodes[id].isModule else { return nil }
        return nodes[id].scan
    }

    /// Every module's key, in key order.
    public var keys: [String] {
        moduleKeys { _ in true }
    }

    /// The modules whose keys `picks` chooses, in key order. Only the picked are copied and
    /// sorted: after each walk this asks which of 2,000 modules left the map (usually none).
    public func moduleKeys(where picks: (String) -> Bool) -> [String] {
        var picked: [String] = []
        for id in nodes.indices where nodes[id].isModule && picks(nodes[id].key) { picked.append(nodes[id].key) }
        return picked.sorted(by: ModuleMap.pathOrder)
    }

    /// The modules that import `key`, statically or dynamically, whether or not it is a module yet.
    public func importers(of key: String) -> [String] {
        guard let id = ids[key] else { return [] }
        return nodes[id].importers.map { nodes[$0].key }.sorted(by: ModuleMap.pathOrder)
    }
}

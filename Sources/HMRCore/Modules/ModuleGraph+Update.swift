// Applying one build's changes to the graph: new edges from each changed module's scan,
// the reverse edges kept in step, and versions recomputed only where they can have
// moved: the changed and removed modules and their importers, transitively.

extension ModuleGraph {
    /// Applies one build's changed and removed modules (changes first, so a key in both
    /// ends up removed) and recomputes the versions that can have moved. Returns the keys
    /// whose `version(of:)` differs from before, including modules that came or went.
    @discardableResult
    public mutating func update(changed: [ChangedModule], removed: [String]) -> Set<String> {
        var moved: Set<String> = []
        moved.reserveCapacity(changed.count + removed.count)
        // Modules that were none before this update, so there is no old version to compare.
        var added: Set<Int> = []
        var seeds: [Int] = []
        var released: [Int] = []
        for module in changed where ModuleFileName.isModule(module.key) {
            let id = id(for: module.key)
            if !nodes[id].isModule {
                added.insert(id)
                count += 1
            }
            nodes[id].isModule = true
            nodes[id].hash = module.hash
            nodes[id].content = UInt64(module.hash, radix: 16) ?? ContentHash.of(Array(module.hash.utf8))
            nodes[id].scan = module.scan
            setEdges(of: id, scan: module.scan, released: &released)
            seeds.append(id)
        }
        for key in removed {
            guard let id = ids[key], nodes[id].isModule else { continue }
            if added.remove(id) == nil { moved.insert(key) }
            count -= 1
            nodes[id].isModule = false
            nodes[id].hash = ""
            nodes[id].content = 0
            nodes[id].scan = ModuleScan()
            setEdges(of: id, scan: ModuleScan(), released: &released)
            released.append(id)
            seeds.append(id)
        }
        let affected = importersClosure(of: seeds)
        // A module keeps its old version until recomputed, so this reads what it was.
        let old = affected.map { added.isEmpty || !added.contains($0) ? nodes[$0].version : nil }
        recomputeVersions(of: affected)
        moved.reserveCapacity(affected.count)
        for (id, old) in zip(affected, old) where old != nodes[id].version { moved.insert(nodes[id].key) }
        for id in released { releaseIfUnused(id) }
        return moved
    }

    /// Replaces a module's edges with those its scan names, keeping the importers in step;
    /// targets that lose an importer go to `released`, to be freed once the update is done.
    /// Only imports of module keys are edges: a stylesheet will never be a module.
    private mutating func setEdges(of id: Int, scan: ModuleScan, released: inout [Int]) {
        let key = nodes[id].key
        let resolver = ModuleSpecifier.Resolver(importer: key, urlPrefix: urlPrefix)
        var staticEdges: [Int] = [], dynamicEdges: [Int] = []
        for found in scan.imports {
            guard let target = resolver.resolve(found.specifier), target != key else { continue }
            // Every key with a node is a module's, so only a new one needs its name checked.
            let targetID: Int
            if let known = ids[target] {
                targetID = known
            } else if ModuleFileName.isModule(target) {
                targetID = self.id(for: target)
            } else {
                continue
            }
            if found.kind == .dynamicImport {
                dynamicEdges.append(targetID)
            } else {
                staticEdges.append(targetID)
            }
        }
        staticEdges = IDList.firstOfEach(staticEdges)
        dynamicEdges = IDList.firstOfEach(dynamicEdges)
        let old = IDList(nodes[id].edges), new = IDList(staticEdges + dynamicEdges)
        for target in old.unique where !new.contains(target) {
            nodes[target].importers.swapRemove(id)
            released.append(target)
        }
        for target in new.unique where !old.contains(target) { nodes[target].importers.append(id) }
        nodes[id].edges = new.ids
        nodes[id].staticCount = staticEdges.count
    }

    /// The modules among `seeds` and everything that imports them, transitively.
    private func importersClosure(of seeds: [Int]) -> [Int] {
        var seen = [Bool](repeating: false, count: nodes.count)
        var pending = seeds
        var modules: [Int] = []
        while let id = pending.popLast() {
            guard !seen[id] else { continue }
            seen[id] = true
            if nodes[id].isModule { modules.append(id) }
            pending.append(contentsOf: nodes[id].importers)
        }
        return modules
    }
}

// A module map made from another and the entries a walk found changed.
//
// When only hashes changed (the usual rebuild), the sorted order is kept and the
// encodings are patched where they are; when paths came or went, the order is
// merged rather than sorted again. The changes are applied in place, so a map
// whose buffers nothing else shares (see ModuleMapSeries) is updated without
// copying its 10,000 entries.

extension ModuleMap {
    /// One entry as a walk found it: its new hash, or nil when the path is gone.
    public struct Change: Sendable, Equatable {
        public var path: String
        public var hash: String?

        public init(path: String, hash: String?) {
            self.path = path
            self.hash = hash
        }
    }

    /// This map with `changes` applied; for a path listed twice, the last change counts.
    public func updating(_ changes: [Change]) -> ModuleMap {
        var next = self
        let summary = next.apply(changes)
        next.revision = Revision()
        next.lineage = Lineage(base: revision, changes: summary)
        return next
    }

    /// Applies `changes` to this map's own buffers and says what changed.
    mutating func apply(_ changes: [Change]) -> ModuleChanges {
        // Each touched path's hash before any change, to judge it against its final one.
        var before: [String: String?] = [:]
        for change in changes where before[change.path] == nil {
            before[change.path] = .some(entries[change.path])
        }
        for change in changes {
            if let hash = change.hash { entries[change.path] = hash } else { entries.removeValue(forKey: change.path) }
        }
        var summary = ModuleChanges()
        for (path, old) in before {
            switch (old, entries[path]) {
            case (nil, _?): summary.added.append(path)
            case (_?, nil): summary.removed.append(path)
            case (let old?, let new?) where old != new: summary.updated.append(path)
            default: break
            }
        }
        summary.added.sort(by: ModuleMap.pathOrder)
        summary.removed.sort(by: ModuleMap.pathOrder)
        summary.updated.sort(by: ModuleMap.pathOrder)
        if !reorder(summary, before: before) {
            // A path not found byte for byte: two spellings of one name that String equality merges.
            self = ModuleMap(entries)
        }
        return summary
    }

    /// Brings `sortedPaths` and `encoding` in line with `entries`; false if a path is not where it should be.
    private mutating func reorder(_ summary: ModuleChanges, before: [String: String?]) -> Bool {
        var updatedAt: [(index: Int, path: String)] = []
        for path in summary.updated {
            guard let index = PathOrder.index(of: path, in: sortedPaths) else { return false }
            updatedAt.append((index, path))
        }
        if summary.added.isEmpty && summary.removed.isEmpty {
            var patched = true
            for (index, path) in updatedAt where patched {
                patched = encoding.replaceHash(at: index, old: before[path]!!, new: entries[path]!)
            }
            if patched {
                if !updatedAt.isEmpty { encoding.rehash() }
            } else {
                encoding = ModuleMapEncoding(paths: sortedPaths, hashes: sortedPaths.map { entries[$0]! })
            }
            return true
        }
        var removedAt: [Int] = []
        for path in summary.removed {
            guard let index = PathOrder.index(of: path, in: sortedPaths) else { return false }
            removedAt.append(index)
        }
        removedAt.sort()
        // Merge the kept paths with the added ones, both already in path order.
        var paths: [String] = []
        paths.reserveCapacity(sortedPaths.count + summary.added.count)
        var a = 0, r = 0
        for (i, path) in sortedPaths.enumerated() {
            if r < removedAt.count, removedAt[r] == i {
                r += 1
                continue
            }
            while a < summary.added.count, ModuleMap.pathOrder(summary.added[a], path) {
                paths.append(summary.added[a])
                a += 1
            }
            paths.append(path)
        }
        paths.append(contentsOf: summary.added[a...])
        sortedPaths = paths
        encoding = ModuleMapEncoding(paths: paths, hashes: paths.map { entries[$0]! })
        return true
    }
}

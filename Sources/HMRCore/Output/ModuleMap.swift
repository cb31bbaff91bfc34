// The module map: every output file (relative, `/`-separated) to its content hash,
// the build hash derived from it, and the diff between two maps.
//
// The build hash covers paths and hashes in sorted order, so two trees with the
// same files hash alike however they were walked. A map keeps that order and its
// encodings (ModuleMapEncoding) from the moment it is made, and a map made from
// another (ModuleMap+Updating) remembers what changed, so publishing a build whose
// walk found one changed file does no work in proportion to the other files.

public struct ModuleMap: Sendable, Equatable {
    /// Path to sixteen-hex-digit content hash.
    public internal(set) var entries: [String: String]
    /// The paths in `pathOrder`.
    public internal(set) var sortedPaths: [String]
    var encoding: ModuleMapEncoding
    /// Identifies this map, for `changes(since:)` to recognise the map it was made from.
    var revision = Revision()
    /// The map this one was made from, and what changed since it.
    var lineage: Lineage?

    final class Revision: Sendable {}

    struct Lineage: Sendable {
        var base: Revision
        var changes: ModuleChanges
    }

    public init(_ entries: [String: String] = [:]) {
        self.init(entries: entries, sortedPaths: entries.keys.sorted(by: ModuleMap.pathOrder))
    }

    init(entries: [String: String], sortedPaths: [String]) {
        self.entries = entries
        self.sortedPaths = sortedPaths
        encoding = ModuleMapEncoding(paths: sortedPaths, hashes: sortedPaths.map { entries[$0]! })
    }

    /// Sorted by UTF-8 bytes, so the order never depends on locale or normalisation.
    public static func pathOrder(_ a: String, _ b: String) -> Bool {
        PathOrder.compare(a, b) < 0
    }

    /// The hash of the whole map: XXH3 over `path NUL hash LF` for each entry in order.
    public var buildHash: String { encoding.buildHash }

    /// The map as a JSON object, `{"path":"hash",...}` in path order.
    public var json: [UInt8] { encoding.json }

    public func changes(since previous: ModuleMap) -> ModuleChanges {
        if revision === previous.revision { return ModuleChanges() }
        if let lineage, lineage.base === previous.revision { return lineage.changes }
        return ModuleMap.diff(from: previous, to: self)
    }

    public static func == (a: ModuleMap, b: ModuleMap) -> Bool {
        a.revision === b.revision || (a.sortedPaths == b.sortedPaths && a.entries == b.entries)
    }

    /// Walks both sorted path lists side by side: one comparison per entry.
    private static func diff(from old: ModuleMap, to new: ModuleMap) -> ModuleChanges {
        var changes = ModuleChanges()
        var i = 0, j = 0
        let oldPaths = old.sortedPaths, newPaths = new.sortedPaths
        while i < oldPaths.count || j < newPaths.count {
            let order = i == oldPaths.count ? 1 : j == newPaths.count ? -1 : PathOrder.compare(oldPaths[i], newPaths[j])
            if order < 0 {
                changes.removed.append(oldPaths[i])
                i += 1
            } else if order > 0 {
                changes.added.append(newPaths[j])
                j += 1
            } else {
                if old.entries[oldPaths[i]] != new.entries[newPaths[j]] { changes.updated.append(newPaths[j]) }
                i += 1
                j += 1
            }
        }
        return changes
    }
}

public struct ModuleChanges: Sendable, Equatable {
    public var added: [String]
    public var removed: [String]
    public var updated: [String]

    public init(added: [String] = [], removed: [String] = [], updated: [String] = []) {
        self.added = added
        self.removed = removed
        self.updated = updated
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && updated.isEmpty }
}

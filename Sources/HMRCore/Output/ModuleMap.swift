// The module map: every output file (relative, `/`-separated) to its content hash,
// the build hash derived from it, and the diff between two maps.
//
// The build hash covers paths and hashes in sorted order, so two trees with the
// same files hash alike however they were walked.

public struct ModuleMap: Sendable, Equatable {
    /// Path to sixteen-hex-digit content hash.
    public private(set) var entries: [String: String]

    public init(_ entries: [String: String] = [:]) { self.entries = entries }

    public var sortedPaths: [String] { entries.keys.sorted(by: ModuleMap.pathOrder) }

    /// Sorted by UTF-8 bytes, so the order never depends on locale or normalisation.
    public static func pathOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// The hash of the whole map: XXH3 over `path NUL hash LF` for each entry in order.
    public var buildHash: String {
        var bytes: [UInt8] = []
        for path in sortedPaths {
            bytes.append(contentsOf: path.utf8)
            bytes.append(0)
            bytes.append(contentsOf: entries[path]!.utf8)
            bytes.append(0x0A)
        }
        return ContentHash.hex(ContentHash.of(bytes))
    }

    public func changes(since previous: ModuleMap) -> ModuleChanges {
        var added: [String] = []
        var updated: [String] = []
        var removed: [String] = []
        for (path, hash) in entries {
            if let old = previous.entries[path] {
                if old != hash { updated.append(path) }
            } else {
                added.append(path)
            }
        }
        for path in previous.entries.keys where entries[path] == nil {
            removed.append(path)
        }
        return ModuleChanges(added: added.sorted(by: ModuleMap.pathOrder),
                             removed: removed.sorted(by: ModuleMap.pathOrder),
                             updated: updated.sorted(by: ModuleMap.pathOrder))
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

// The import graph of the out dir's ES modules, kept from one build to the next by
// updating only the files a build changed. Each module's version hashes its content
// and its imports' versions (ModuleGraph+Versions), so an edit moves the URL of the
// edited module and of its importers, transitively, and of no other module.

public struct ModuleGraph: Sendable {
    /// A module the build wrote or rewrote, as the walker read it.
    public struct ChangedModule: Sendable, Equatable {
        public var key: String
        /// The file's content hash, sixteen hex digits (ContentHash).
        public var hash: String
        public var scan: ModuleScan

        public init(key: String, hash: String, scan: ModuleScan) {
            self.key = key
            self.hash = hash
            self.scan = scan
        }
    }

    /// Where modules are served: a module's URL path is `urlPrefix + key`.
    public let urlPrefix: String
    /// How many modules the graph holds.
    public internal(set) var count = 0
    /// Every key a module is or imports. An import of a key that is not (yet) a module
    /// keeps a placeholder node, so the importer is found when the module appears.
    var ids: [String: Int] = [:]
    var nodes = Nodes()
    /// Slots of placeholders nothing imports any more, for reuse: a build that names its
    /// chunks by hash leaves a new key behind on every edit.
    var freeIDs: [Int] = []

    struct Node: Sendable {
        var key: String
        /// The key's XXH3-64, which stands for it in the version encoding.
        var name: UInt64
        var isModule = false
        var hash = ""
        /// The content hash as a number, for the version encoding.
        var content: UInt64 = 0
        var scan = ModuleScan()
        /// Ids of the keys it imports: `staticCount` static imports and `export … from`,
        /// then dynamic `import()`s; each part without repeats or itself.
        var edges: [Int] = []
        var staticCount = 0
        /// Modules that import this key, statically or dynamically, each once.
        var importers: [Int] = []
        /// Meaningful only while `isModule`.
        var version: UInt64 = 0

        init(key: String) {
            self.key = key
            name = ContentHash.of(Array(key.utf8))
        }

        var imports: ArraySlice<Int> { edges[..<staticCount] }
        var dynamicImports: ArraySlice<Int> { edges[staticCount...] }
    }

    public init(urlPrefix: String) {
        self.urlPrefix = urlPrefix
    }

    /// The id of `key`'s node, made as a placeholder if there is none.
    mutating func id(for key: String) -> Int {
        if let id = ids[key] { return id }
        let node = Node(key: key)
        let id: Int
        if let free = freeIDs.popLast() {
            nodes[free] = node
            id = free
        } else {
            nodes.append(node)
            id = nodes.count - 1
        }
        ids[key] = id
        return id
    }

    /// Frees a placeholder that nothing imports any more.
    mutating func releaseIfUnused(_ id: Int) {
        guard !nodes[id].isModule, nodes[id].importers.isEmpty, ids[nodes[id].key] == id else { return }
        ids[nodes[id].key] = nil
        nodes[id] = Node(key: "")
        freeIDs.append(id)
    }
}

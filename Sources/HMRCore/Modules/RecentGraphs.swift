// The import graphs of the last few good builds, by build hash, for pages fetching
// the graph of the build they are updating to (GET P/graph?build=HASH). A page a
// build or two behind still gets its own build's graph, not the newest one's.
//
// Each is kept as the graph value, and encoded the first time a page asks for it.

public struct RecentGraphs: Sendable {
    /// As many as RecentBuilds keeps maps for.
    public static let capacity = RecentBuilds.capacity

    private var graphs: [(hash: String, graph: ModuleGraph, json: [UInt8]?)] = []

    public init() {}

    public mutating func record(hash: String, graph: ModuleGraph) {
        guard !hash.isEmpty else { return }
        graphs.removeAll { $0.hash == hash }
        graphs.append((hash, graph, nil))
        if graphs.count > RecentGraphs.capacity { graphs.removeFirst(graphs.count - RecentGraphs.capacity) }
    }

    /// That build's graph as JSON, or nil when it is not among the recent ones.
    public mutating func json(ofBuild hash: String) -> [UInt8]? {
        guard let index = graphs.lastIndex(where: { $0.hash == hash }) else { return nil }
        if let json = graphs[index].json { return json }
        let json = graphs[index].graph.json(buildHash: hash)
        graphs[index].json = json
        return json
    }

    /// The build a graph request names (`?build=HASH`), nil for the current one.
    public static func askedForBuild(_ query: String?) -> String? {
        ClientScript.pageBuild(fromQuery: query)
    }
}

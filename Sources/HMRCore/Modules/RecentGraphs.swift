// The import graphs of the last few good builds, by build hash, for pages fetching
// the graph of the build they are updating to (GET P/graph?build=HASH). A page a
// build or two behind still gets its own build's graph, not the newest one's.
//
// Each is kept as the graph value, and encoded the first time a page asks for it. A
// page that has the graph of the build before asks `since` it, and gets the difference.

public struct RecentGraphs: Sendable {
    /// As many as RecentBuilds keeps maps for.
    public static let capacity = RecentBuilds.capacity
    /// A `built` payload carries the graph's difference when at most this many modules
    /// moved: an edit's chain of importers, not a shared util's hundreds.
    public static let maxModulesInPayload = 100

    private var graphs: [(hash: String, graph: ModuleGraph, json: [UInt8]?)] = []
    /// The last difference asked for: every page updating from one build asks the same.
    private var lastDelta: (hash: String, since: String, json: [UInt8])?

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

    /// A build's graph as it was, nil when it is not among the recent ones.
    public func graph(ofBuild hash: String) -> ModuleGraph? {
        graphs.last(where: { $0.hash == hash })?.graph
    }

    /// That build's graph as what changed since build `since`; the whole graph when
    /// `since` is not among the recent ones (the answer has no "since" then).
    public mutating func json(ofBuild hash: String, since: String?) -> [UInt8]? {
        guard let since, since != hash, let earlier = graph(ofBuild: since),
              let index = graphs.lastIndex(where: { $0.hash == hash }) else { return json(ofBuild: hash) }
        if let last = lastDelta, last.hash == hash, last.since == since { return last.json }
        let json = graphs[index].graph.json(buildHash: hash, since: since, earlier: earlier)
        lastDelta = (hash, since, json)
        return json
    }

    /// The build a graph request names (`?build=HASH`), nil for the current one.
    public static func askedForBuild(_ query: String?) -> String? {
        ClientScript.hashParameter("build", inQuery: query)
    }

    /// The build whose graph the page has (`?since=HASH`), nil when it has none.
    public static func askedSince(_ query: String?) -> String? {
        ClientScript.hashParameter("since", inQuery: query)
    }
}

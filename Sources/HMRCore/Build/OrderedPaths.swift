// A set of paths that remembers the order they first changed in.

public struct OrderedPaths: Sendable, Equatable {
    public private(set) var paths: [String] = []
    private var members: Set<String> = []

    public init() {}
    public init(_ paths: [String]) { for p in paths { insert(p) } }

    public var isEmpty: Bool { paths.isEmpty }
    public var count: Int { paths.count }

    public mutating func insert(_ path: String) {
        if members.insert(path).inserted { paths.append(path) }
    }

    public func merging(_ other: OrderedPaths) -> OrderedPaths {
        var merged = self
        for p in other.paths { merged.insert(p) }
        return merged
    }

    public mutating func takeAll() -> [String] {
        defer { self = OrderedPaths() }
        return paths
    }
}

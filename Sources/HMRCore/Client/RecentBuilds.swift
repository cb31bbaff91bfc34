// The module maps of the last few good builds, by build hash, for client.js to
// stamp the build a page came from rather than the current one (ClientScript).
//
// Kept as encoded JSON, the form the stamp needs: holding the maps themselves
// would make the next walk copy the one it updates in place (ModuleMapSeries).

public struct RecentBuilds: Sendable {
    /// Builds remembered: a page served more builds ago than this gets the current state.
    public static let capacity = 8

    private var builds: [(hash: String, modules: [UInt8])] = []

    public init() {}

    /// Remembers a published build; the oldest is forgotten past `capacity`.
    public mutating func record(hash: String, modules: [UInt8]) {
        guard !hash.isEmpty, builds.last?.hash != hash else { return }
        builds.removeAll { $0.hash == hash }
        builds.append((hash, modules))
        if builds.count > RecentBuilds.capacity { builds.removeFirst(builds.count - RecentBuilds.capacity) }
    }

    /// The module map (JSON) of the build with this hash, if it is among the recent ones.
    public func modules(of hash: String) -> [UInt8]? {
        builds.last { $0.hash == hash }?.modules
    }
}

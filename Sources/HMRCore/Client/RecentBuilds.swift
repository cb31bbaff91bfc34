// The module maps of the last few good builds, by build hash, for client.js to
// stamp the build a page came from rather than the current one (ClientScript), and
// to tell which version of a file a page asking for a build's bytes wants.
//
// Kept as encoded JSON, the form the stamp needs. The walk updates an older map in
// place (ModuleMapSeries); holding that map would make it copy the whole of it, its
// dictionary of every entry included, where holding its JSON costs a copy of those
// bytes only.

public struct RecentBuilds: Sendable {
    /// Builds remembered: a page served more builds ago than this gets the current state.
    public static let capacity = 8
    /// Bytes of maps remembered at most (the newest is kept whatever its size): eight
    /// maps of a 100,000-file out dir would otherwise hold some 30 MB.
    public static let byteBudget = 16 << 20

    private var builds: [(hash: String, modules: [UInt8])] = []

    public init() {}

    /// Remembers a published build; the oldest is forgotten past `capacity`.
    public mutating func record(hash: String, modules: [UInt8]) {
        guard !hash.isEmpty, builds.last?.hash != hash else { return }
        builds.removeAll { $0.hash == hash }
        builds.append((hash, modules))
        if builds.count > RecentBuilds.capacity { builds.removeFirst(builds.count - RecentBuilds.capacity) }
        var bytes = builds.reduce(0) { $0 + $1.modules.count }
        while builds.count > 1 && bytes > RecentBuilds.byteBudget {
            bytes -= builds.removeFirst().modules.count
        }
    }

    /// The module map (JSON) of the build with this hash, if it is among the recent ones.
    public func modules(of hash: String) -> [UInt8]? {
        builds.last { $0.hash == hash }?.modules
    }

    /// The content hash that build `hash` lists for `key`, read from its JSON: a key is
    /// the one quoted string that follows `{` or `,` and is followed by `:`, so a value
    /// (sixteen hex digits, then `,` or `}`) is never taken for one.
    public func hash(of key: String, inBuild hash: String) -> String? {
        guard let json = modules(of: hash) else { return nil }
        var pattern: [UInt8] = []
        JSONEscaping.appendQuoted(key, to: &pattern)
        pattern += Array(":\"".utf8)
        let hexDigits = 16
        return json.withUnsafeBufferPointer { bytes -> String? in
            var at = 1
            while at + pattern.count + hexDigits <= bytes.count {
                if bytes[at] == pattern[0], bytes[at - 1] == UInt8(ascii: "{") || bytes[at - 1] == UInt8(ascii: ","),
                   pattern.indices.allSatisfy({ bytes[at + $0] == pattern[$0] }) {
                    let start = at + pattern.count
                    return String(decoding: bytes[start..<start + hexDigits], as: UTF8.self)
                }
                at += 1
            }
            return nil
        }
    }
}

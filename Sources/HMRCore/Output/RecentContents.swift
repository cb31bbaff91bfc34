// The bytes of the files recent builds changed, by content hash: a page asking for a
// build's version of a file (`?hmr=HASH`) gets exactly that version, even once a later
// build has rewritten the file, and without waiting for that build. So a save that a
// quicker next save overtakes on disk still reaches the page.

public struct RecentContents: Sendable {
    /// Larger files are not kept (bundles of several MB are read from disk, checked).
    public static let maxFileBytes = 1 << 20
    /// Bytes kept at most; the oldest go first.
    public static let byteBudget = 32 << 20

    private var byHash: [String: [UInt8]] = [:]
    /// Oldest first.
    private var order: [String] = []
    public private(set) var byteCount = 0

    public init() {}

    public mutating func record(hash: String, bytes: [UInt8]) {
        guard bytes.count <= RecentContents.maxFileBytes else { return }
        if byHash[hash] != nil {
            order.removeAll { $0 == hash }
        } else {
            byHash[hash] = bytes
            byteCount += bytes.count
        }
        order.append(hash)
        var evicted = 0
        while byteCount > RecentContents.byteBudget, evicted < order.count - 1 {
            if let old = byHash.removeValue(forKey: order[evicted]) { byteCount -= old.count }
            evicted += 1
        }
        if evicted > 0 { order.removeFirst(evicted) }
    }

    public func bytes(of hash: String) -> [UInt8]? { byHash[hash] }
}

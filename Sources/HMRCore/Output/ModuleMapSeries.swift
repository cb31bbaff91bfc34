// The maps of successive walks, each made from the last, reusing the buffers of
// the map before the last instead of copying the last one's.
//
// The daemon holds the map it published last; the one before that it has let go
// by the time the next walk ends. Brought up to date with the changes it missed,
// that older map becomes the next one, its dictionary and encodings updated where
// they are: a walk that found one changed file then costs a few writes and one
// XXH3 pass, where a copy touched all 10,000 entries (a millisecond, cold). If
// something still holds the older map, copy-on-write makes this a plain copy.

public struct ModuleMapSeries: Sendable {
    /// The newest map.
    public private(set) var current = ModuleMap()
    /// The map before `current`, lacking the changes `current` was made with.
    private var spare: ModuleMap?
    private var spareLacks: [ModuleMap.Change] = []

    public init() {}

    /// The next map: `current` with `changes` applied, remembering what changed since `current`.
    public mutating func next(_ changes: [ModuleMap.Change]) -> ModuleMap {
        // Nothing changed (the full walk that checks a walk from notices, usually): the
        // same map, so the next one still descends from the map the daemon published and
        // its changes are read from its lineage rather than diffed entry by entry.
        guard !changes.isEmpty else { return current }
        // Catching up is only cheap if the missed changes kept the order (no path came or went).
        let missedKeptOrder = current.lineage.map { $0.changes.added.isEmpty && $0.changes.removed.isEmpty } ?? false
        var next = current
        if missedKeptOrder, spare != nil {
            next = spare!
            // Let go of our own reference first, or the update below would copy.
            spare = nil
            _ = next.apply(spareLacks)
        }
        spare = nil
        let summary = next.apply(changes)
        next.revision = ModuleMap.Revision()
        next.lineage = ModuleMap.Lineage(base: current.revision, changes: summary)
        spare = current
        spareLacks = changes
        current = next
        return next
    }

    /// Starts the series again from `map` (a map made afresh).
    public mutating func restart(from map: ModuleMap) {
        current = map
        spare = nil
        spareLacks = []
    }
}

// One walk of a polled folder tree (relative path → stamp), and what changed
// between two walks: the paths to report, sorted by their UTF-8 bytes.
//
// A file written within a clock tick of the walk that saw it is "racy" (git's
// word): a second write in the same tick with the same size would leave every
// field equal and go unseen. So a racy change is not taken yet: the snapshot keeps
// the previous stamp and the next walk, once the tick is over, reports it. This
// also keeps a file caught between its truncation and its write from being
// reported twice.

public struct PollSnapshot: Sendable, Equatable {
    public private(set) var entries: [String: PollStamp]

    public init(entries: [String: PollStamp] = [:]) {
        self.entries = entries
    }

    /// The snapshot of `entries` without the paths `filter` leaves out.
    public init(entries: some Sequence<(String, PollStamp)>, filter: PollFilter) {
        var kept: [String: PollStamp] = [:]
        for (path, stamp) in entries where filter.admits(path) { kept[path] = stamp }
        self.init(entries: kept)
    }

    /// Paths added, removed or changed from `old` to `new`, sorted by UTF-8 bytes.
    public static func changedPaths(from old: PollSnapshot, to new: PollSnapshot) -> [String] {
        var changed: [String] = []
        for (path, stamp) in new.entries {
            if let before = old.entries[path] {
                if stamp.differs(from: before) { changed.append(path) }
            } else {
                changed.append(path)
            }
        }
        for path in old.entries.keys where new.entries[path] == nil { changed.append(path) }
        return changed.sorted(by: ModuleMap.pathOrder)
    }

    /// The snapshot to keep after walking `walked` from this one: a file whose stamp
    /// changed and whose times lie within `racyMargin` ns (under a second) of
    /// `walkStarted` keeps its previous stamp (or stays absent) until a later walk.
    /// Only times near the walk count, so a file dated far ahead (a server clock
    /// running fast) is never held back for good.
    /// The folders above a held file wait with it, so a folder created with a file in
    /// it is reported in one batch with the file, not a walk ahead of it.
    public func settled(into walked: PollSnapshot, walkStarted: FileTime, racyMargin: Int64) -> PollSnapshot {
        var kept = walked.entries
        for (path, stamp) in walked.entries where !stamp.isFolder {
            let before = entries[path]
            if let before, !stamp.differs(from: before) { continue }
            guard stamp.modified.isWithin(racyMargin, of: walkStarted)
                    || stamp.changed.isWithin(racyMargin, of: walkStarted) else { continue }
            kept[path] = before
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                let key = String(folder)
                guard let now = walked.entries[key] else { continue }
                if let previous = entries[key], !now.differs(from: previous) { continue }
                kept[key] = entries[key]
            }
        }
        return PollSnapshot(entries: kept)
    }

    /// One poll: the snapshot to keep and the paths to report.
    public func advanced(to walked: PollSnapshot, walkStarted: FileTime,
                         racyMargin: Int64) -> (snapshot: PollSnapshot, changed: [String]) {
        let kept = settled(into: walked, walkStarted: walkStarted, racyMargin: racyMargin)
        return (kept, PollSnapshot.changedPaths(from: self, to: kept))
    }
}

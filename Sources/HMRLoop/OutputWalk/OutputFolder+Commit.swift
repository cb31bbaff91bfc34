// After the threads of a walk are done: a folder takes its new listing and what its
// probes found, and tells the module map which of its files came, changed or went.
//
// Runs on the walk's own thread, folder by folder, only for folders whose listing
// changed or whose probes found something: an untouched folder costs nothing here.
// The tally keeps the number of files in the cache, which the walker compares with
// the map's size, and of linked files, which make notices untrustworthy (OutputWalker).

import HMRCore

/// Counts over every folder's entries, kept up to date by each commit.
struct OutputTally {
    var files = 0
    /// Links and files with other names (see OutputFolder.Entry.linked).
    var linked = 0
}

extension OutputFolder {
    func commit(into changes: inout [ModuleMap.Change], tally: inout OutputTally) {
        defer {
            listing = nil
            oldIndex = []
            findings = []
            isDirty = false
        }
        guard let listing else {
            for (index, entry) in findings {
                OutputFolder.record(from: entries[index], to: entry, into: &changes, tally: &tally)
                entries[index] = entry
            }
            return
        }
        var found = [Int32](repeating: -1, count: listing.count)
        for (n, finding) in findings.enumerated() { found[finding.index] = Int32(n) }
        var kept = [Bool](repeating: false, count: entries.count)
        var fresh: [Entry] = []
        fresh.reserveCapacity(listing.count)
        for i in 0..<listing.count {
            let old = Int(oldIndex[i])
            if old >= 0 { kept[old] = true }
            if found[i] >= 0 {
                let entry = findings[Int(found[i])].entry
                OutputFolder.record(from: old >= 0 ? entries[old] : nil, to: entry, into: &changes, tally: &tally)
                fresh.append(entry)
            } else if old >= 0 {
                fresh.append(entries[old])
            } else {
                // A new name no probe reached (its folder vanished mid-walk): the next walk looks again.
                fresh.append(Entry(kind: .absent))
            }
        }
        for (i, entry) in entries.enumerated() where !kept[i] {
            OutputFolder.record(from: entry, to: nil, into: &changes, tally: &tally)
        }
        names = listing
        entries = fresh
    }

    /// Forgets everything below this folder, each file as a removal.
    func removeAll(into changes: inout [ModuleMap.Change], tally: inout OutputTally) {
        for entry in entries { OutputFolder.record(from: entry, to: nil, into: &changes, tally: &tally) }
        names = NameTable()
        entries = []
    }

    private static func record(from old: Entry?, to new: Entry?, into changes: inout [ModuleMap.Change],
                               tally: inout OutputTally) {
        let wasFile = old?.kind == .file
        if let new, new.kind == .file {
            if !wasFile || old!.hash != new.hash {
                changes.append(ModuleMap.Change(path: new.key, hash: ContentHash.hex(new.hash)))
            }
            if !wasFile { tally.files += 1 }
        } else if wasFile {
            changes.append(ModuleMap.Change(path: old!.key, hash: nil))
            tally.files -= 1
        }
        tally.linked += (new?.linked == true ? 1 : 0) - (old?.linked == true ? 1 : 0)
        if let folder = old?.folder, new?.folder !== folder { folder.removeAll(into: &changes, tally: &tally) }
    }

    /// Every file below this folder by key, for a walk that builds its map afresh.
    func collectFiles(into entries: inout [String: String]) {
        for entry in self.entries {
            if entry.kind == .file { entries[entry.key] = ContentHash.hex(entry.hash) }
            entry.folder?.collectFiles(into: &entries)
        }
    }
}

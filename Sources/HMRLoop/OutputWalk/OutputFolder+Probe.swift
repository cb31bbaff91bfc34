// Reading one folder during a walk: list its names, then stat each relative to the
// folder's descriptor and compare with what the last walk saw.
//
// An unchanged file costs one fstatat and a comparison of stamps: no path string,
// no ignore rules (decided once per name, when the name first appears), no hash.
// A long listing is probed in ranges that other threads of the walk can take.

import Glibc
import HMRCore

/// What every task of one walk shares.
final class WalkContext: Sendable {
    let queue = WalkQueue()
    let ignore: IgnoreRules
    /// The wall clock when the walk began, for racy stamps.
    let start: Int64
    /// Watches each folder before it is listed, when the walker uses notices.
    let notices: OutputNotices?
    /// Whether a listed folder's known subfolders are listed too. A walk from notices
    /// lists only the folders it was told of (and any new folder found in them).
    let descends: Bool
    /// Whether the changed files it reads are kept whole (OutputWalker.KeptFile): not on
    /// the first walk, where every file is read and none has changed.
    let keepsFiles: Bool
    /// Whether a changed `.js`/`.mjs` file's imports are read as it is hashed (ImportLexer).
    let scansModules: Bool

    init(ignore: IgnoreRules, start: Int64, notices: OutputNotices?, descends: Bool, keepsFiles: Bool,
         scansModules: Bool) {
        self.scansModules = scansModules
        self.ignore = ignore
        self.start = start
        self.notices = notices
        self.descends = descends
        self.keepsFiles = keepsFiles
    }
}

/// One thread's own means to hash files; used by that thread alone during a walk.
final class WalkScratch: @unchecked Sendable {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    let hasher = StreamingContentHash()

    deinit { buffer.deallocate() }
}

extension OutputFolder {
    /// Entries probed per task: a long folder is shared out between threads in ranges this long.
    static let probeRange = 256

    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    /// Lists the folder, queues the probes of all but its first range, and probes that one here.
    func list(_ walk: WalkContext, _ scratch: WalkScratch) {
        if depth < OutputWalker.maxDepth { walk.notices?.watch(self) }
        let fd = depth < OutputWalker.maxDepth ? open(path, openFlags) : -1
        let dir = fd >= 0 ? fdopendir(fd) : nil
        if dir == nil && fd >= 0 { close(fd) }
        defer { if let dir { closedir(dir) } }
        readListing(dir)
        if listing != nil { walk.queue.report(self, []) }
        let count = listing?.count ?? names.count
        guard let dir, count > 0 else { return }
        var start = OutputFolder.probeRange
        while start < count {
            walk.queue.push(.probe(self, start..<min(start + OutputFolder.probeRange, count)))
            start += OutputFolder.probeRange
        }
        probe(0..<min(OutputFolder.probeRange, count), in: dirfd(dir), walk, scratch)
    }

    /// Probes a range queued by `list`, through a descriptor of its own.
    func probe(_ range: Range<Int>, _ walk: WalkContext, _ scratch: WalkScratch) {
        let fd = open(path, openFlags)
        // Gone since it was listed: the next walk sees that from its parent.
        guard fd >= 0 else { return }
        defer { close(fd) }
        probe(range, in: fd, walk, scratch)
    }

    /// The root may be a link (the user named it); a folder inside is opened only if it is not one.
    private var openFlags: Int32 { O_RDONLY | O_DIRECTORY | O_CLOEXEC | (depth > 0 ? O_NOFOLLOW : 0) }

    /// Sets `listing` and `oldIndex` when the names differ from the last walk's.
    private func readListing(_ dir: OpaquePointer?) {
        listing = nil
        oldIndex = []
        let old = names
        let nameOffset = OutputFolder.nameOffset
        var matched = 0
        var fresh: NameTable?
        var index: NameTable.Index?
        old.bytes.withUnsafeBufferPointer { oldBytes in
            while let dir, let entry = readdir(dir) {
                let name = UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: CChar.self)
                // Dot-files are never part of the output (and never served); this skips `.` and `..` too.
                if name.pointee == CChar(UInt8(ascii: ".")) { continue }
                if fresh == nil {
                    // The usual case: the same name as at this place in the last listing.
                    if matched < old.count, strcmp(oldBytes.baseAddress! + Int(old.starts[matched]), name) == 0 {
                        matched += 1
                        continue
                    }
                    fresh = old.prefix(matched)
                    oldIndex = (0..<Int32(matched)).map { $0 }
                }
                let length = strlen(name)
                fresh!.append(name, length: length)
                if index == nil { index = NameTable.Index(old) }
                oldIndex.append(index!.index(of: name, length: length, in: old))
            }
        }
        if fresh == nil && matched < old.count {
            fresh = old.prefix(matched)
            oldIndex = (0..<Int32(matched)).map { $0 }
        }
        listing = fresh
    }

    private func probe(_ range: Range<Int>, in fd: Int32, _ walk: WalkContext, _ scratch: WalkScratch) {
        let table = listing ?? names
        let remapped = listing != nil
        let oldIndex = self.oldIndex
        let entries = self.entries
        var findings: [(index: Int, entry: Entry)] = []
        table.bytes.withUnsafeBufferPointer { bytes in
            entries.withUnsafeBufferPointer { old in
                for i in range {
                    let name = bytes.baseAddress! + Int(table.starts[i])
                    let at = remapped ? Int(oldIndex[i]) : i
                    if let found = probeEntry(name, old: at >= 0 ? old.baseAddress! + at : nil, fd, walk, scratch) {
                        findings.append((i, found))
                    }
                }
            }
        }
        if !findings.isEmpty { walk.queue.report(self, findings) }
    }

    // POSIX's file type bits as constants: Glibc's S_IFMT and friends are accessors,
    // a function call for every entry probed.
    private static let typeMask: mode_t = 0o170000, folderType: mode_t = 0o040000
    private static let fileType: mode_t = 0o100000, linkType: mode_t = 0o120000

    /// What the name is now, or nil when it is as the last walk left it.
    private func probeEntry(_ name: UnsafePointer<CChar>, old: UnsafePointer<Entry>?, _ fd: Int32,
                            _ walk: WalkContext, _ scratch: WalkScratch) -> Entry? {
        let oldKind = old?.pointee.kind
        if oldKind == .ignored { return nil }
        if old == nil && isIgnored(name, walk.ignore) { return Entry(kind: .ignored) }
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return absent(oldKind) }
        let isLink = (info.st_mode & OutputFolder.typeMask) == OutputFolder.linkType
        // Files behind links are followed; folders behind links are not (a link loop would never end).
        if isLink, fstatat(fd, name, &info, 0) != 0 { return absent(oldKind) }
        switch info.st_mode & OutputFolder.typeMask {
        case OutputFolder.fileType:
            let stamp = FileStamp(info)
            if oldKind == .file, old!.pointee.stamp == stamp, !stamp.isRacy(walkStart: walk.start) { return nil }
            let keeps = walk.keepsFiles && Int(info.st_size) <= RecentContents.maxFileBytes
            var lexer = walk.scansModules && isModule(name) ? ImportLexer() : nil
            guard let hash = keeps ? keepFile(name, in: fd, size: Int(info.st_size), walk, &lexer)
                                   : hashFile(name, in: fd, scratch, &lexer) else { return absent(oldKind) }
            let key = oldKind == .file ? old!.pointee.key : keyPrefix + String(cString: name)
            if var lexer { walk.queue.scanned(OutputWalker.ScannedModule(key: key, hash: hash, scan: lexer.finish())) }
            // A change through its link target or its other names is heard in another folder, if at all.
            return Entry(kind: .file, stamp: stamp, hash: hash, key: key, linked: isLink || info.st_nlink > 1)
        case OutputFolder.folderType where !isLink:
            if oldKind == .folder, let folder = old!.pointee.folder {
                if walk.descends { walk.queue.push(.list(folder)) }
                return nil
            }
            let folder = child(named: String(cString: name))
            walk.queue.push(.list(folder))
            return Entry(kind: .folder, folder: folder)
        default:
            return absent(oldKind)
        }
    }

    /// A name that is not (or no longer) a file or folder of the map; nil if it was not one before either.
    private func absent(_ oldKind: Kind?) -> Entry? {
        oldKind == .absent ? nil : Entry(kind: .absent)
    }

    /// The ignore rules for a new name. Its folders passed them already, so the
    /// built-in rules need only the name; patterns need the whole relative path.
    private func isIgnored(_ name: UnsafePointer<CChar>, _ ignore: IgnoreRules) -> Bool {
        let text = String(cString: name)
        if IgnoreRules.alwaysIgnoredFolders.contains(text) || IgnoreRules.isEditorTempFile(text) { return true }
        return !ignore.patterns.isEmpty && ignore.ignores(relative + text)
    }

    /// Reads a small changed file whole, keeps its bytes for pages asking for this build's
    /// version of it, and hashes those very bytes.
    private func isModule(_ name: UnsafePointer<CChar>) -> Bool {
        ModuleFileName.isModule(UnsafeRawBufferPointer(start: name, count: strlen(name)))
    }

    private func keepFile(_ name: UnsafePointer<CChar>, in fd: Int32, size: Int, _ walk: WalkContext,
                          _ lexer: inout ImportLexer?) -> UInt64? {
        let file = openat(fd, name, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        // One byte more than the stat said, to see a file that grew since.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(file, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            filled += n
        }
        guard filled <= size else { return nil }
        bytes.removeLast(bytes.count - filled)
        let hash = ContentHash.of(bytes)
        lexer?.feed(bytes)
        walk.queue.keep(OutputWalker.KeptFile(hash: hash, bytes: bytes))
        return hash
    }

    private func hashFile(_ name: UnsafePointer<CChar>, in fd: Int32, _ scratch: WalkScratch,
                          _ lexer: inout ImportLexer?) -> UInt64? {
        let file = openat(fd, name, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        scratch.hasher.reset()
        while true {
            let n = read(file, scratch.buffer.baseAddress, scratch.buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: scratch.buffer[0..<n])
            scratch.hasher.update(chunk)
            lexer?.feed(chunk)
        }
        return scratch.hasher.finish()
    }
}

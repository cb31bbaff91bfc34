// Watches a folder tree: one fs_event handle per folder, new folders picked up as
// they appear (with the files already inside them reported), deleted ones released.
//
// Paths are reported relative to the watched root; ignored paths and the excluded
// folders (the out dir) are neither watched nor reported.
//
// inotify watches inodes, not names, so a folder is known by its identity
// (FolderEventHandle): one deleted and made again under the same name is watched
// afresh. The root has no watched parent to report it, so when it goes a timer
// looks for it (TreeWatcher+Root.swift) and watches it again once it is back. A
// folder refused for want of watches is tried again the same way (TreeWatcher+Retry).

import CLibUV
import Glibc
import HMRCore

public final class TreeWatcher {
    public let root: String
    let loop: EventLoop
    private let ignore: IgnoreRules
    private let excluded: [String]
    private var folders: [String: FolderEventHandle] = [:]
    private let onChange: (String) -> Void
    let onWarning: (String) -> Void
    /// Looks for the root while it is gone.
    var rootSearch: LoopTimer?
    /// The watch limit is said once: each further folder would only repeat it.
    var warnedWatchLimit = false
    var isStopped = false
    /// Trees not (wholly) watched for want of watches, and the timer that tries them again.
    var unwatched: [String] = []
    var retryTimer: LoopTimer?

    /// `root` and `excluded` are absolute, normalised paths.
    public init(loop: EventLoop, root: String, ignore: IgnoreRules, excluded: [String],
                onChange: @escaping (_ relativePath: String) -> Void,
                onWarning: @escaping (String) -> Void) {
        self.loop = loop
        self.root = root
        self.ignore = ignore
        self.excluded = excluded
        self.onChange = onChange
        self.onWarning = onWarning
    }

    public var watchedFolderCount: Int { folders.count }

    var isWatchingRoot: Bool { folders[root] != nil }

    /// Watches the whole tree; the first failure (such as the watch limit) is thrown.
    public func start() throws(UVError) {
        try watchTree(root, reportFiles: false)
    }

    public func stop() {
        isStopped = true
        rootSearch?.close()
        rootSearch = nil
        retryTimer?.close()
        retryTimer = nil
        for handle in folders.values { handle.close() }
        folders.removeAll()
    }

    private func relative(_ absolute: String) -> String {
        absolute == root ? "" : String(absolute.dropFirst(root.count + 1))
    }

    private func isExcluded(_ absolute: String) -> Bool {
        excluded.contains { absolute == $0 || absolute.hasPrefix($0 + "/") }
    }

    /// Watches `path` and the folders below it, reporting the files of each folder it
    /// starts to watch if `reportFiles`. With `revisit`, folders already watched are gone
    /// through too (their files not reported), to reach any below them left unwatched.
    func watchTree(_ path: String, reportFiles: Bool, revisit: Bool = false) throws(UVError) {
        let known = folders[path] != nil
        if known && !revisit { return }
        if !known {
            let handle = try FolderEventHandle(loop: loop, path: path) { [unowned self] name, changeOnly, status in
                self.folderEvent(in: path, name: name, changeOnly: changeOnly, status: status)
            }
            folders[path] = handle
        }
        guard let dir = opendir(path) else { return }
        defer { closedir(dir) }
        var children: [(String, Bool)] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let child = path + "/" + name
            if isExcluded(child) || ignore.ignores(relative(child)) { continue }
            var info = stat()
            guard lstat(child, &info) == 0 else { continue }
            children.append((child, (info.st_mode & S_IFMT) == S_IFDIR))
        }
        for (child, isFolder) in children {
            if isFolder {
                try watchTree(child, reportFiles: reportFiles, revisit: revisit)
            } else if reportFiles && !known {
                onChange(relative(child))
            }
        }
    }

    /// Watches a tree found while running: failures are warned about, not thrown, and
    /// a tree refused for want of watches is tried again (TreeWatcher+Retry).
    func watchFound(_ path: String) {
        do {
            try watchTree(path, reportFiles: true)
        } catch {
            warnCannotWatch(error, path: path)
            if error == .noSpace || error == .tooManyOpenFiles { retryLater(path) }
        }
    }

    private func folderEvent(in folder: String, name: String?, changeOnly: Bool, status: Int32) {
        if status < 0 {
            onWarning("watching \(TreeWatcher.shown(folder)) failed: \(UVError(status))")
            return
        }
        guard let name, !name.isEmpty else { return }
        let path = folder + "/" + name
        var facts = FolderNotice.Facts()
        var info = stat()
        let exists = lstat(path, &info) == 0
        // Notices about the watched folder itself (deleted, moved away, attributes changed)
        // come named by its last component, exactly like a child of that name.
        if name == TreeWatcher.lastComponent(folder), let handle = folders[folder] {
            facts.namesItsFolder = true
            facts.childExists = exists
            facts.folderStillWatched = handle.stillWatchesItsPath
        }
        facts.attributesOnly = changeOnly
        facts.reported = isReported(path)
        facts.kind = !exists ? .missing : (info.st_mode & S_IFMT) == S_IFDIR ? .folder : .file
        if facts.kind == .folder, let known = folders[path] { facts.watch = known.stillWatchesItsPath ? .current : .stale }
        for action in FolderNotice.actions(facts) {
            switch action {
            case .folderGone: folderVanished(folder)
            case .forget: forget(path)
            case .watch: watchFound(path)
            case .report: onChange(relative(path))
            }
        }
    }

    /// Neither in the out dir nor ignored.
    private func isReported(_ path: String) -> Bool {
        !isExcluded(path) && !ignore.ignores(relative(path))
    }

    /// A watch ended: watch what is at the path now, if anything. The parent reports the change
    /// itself; the root has none, so it is looked for until it is back.
    private func folderVanished(_ folder: String) {
        forget(folder)
        if folder == root {
            rootVanished()
        } else if FolderEventHandle.Identity.of(folder) != nil {
            watchFound(folder)
        }
    }

    /// Releases the handles of a folder that is gone, and of everything below it.
    private func forget(_ path: String) {
        for (folder, handle) in folders where folder == path || folder.hasPrefix(path + "/") {
            handle.close()
            folders[folder] = nil
        }
    }

    private func warnCannotWatch(_ error: UVError, path: String) {
        // Made and removed again before we got to it: nothing to watch, nothing to say.
        if error == .notFound || error == TreeWatcher.notAFolder { return }
        if error == .noSpace {
            guard !warnedWatchLimit else { return }
            warnedWatchLimit = true
        }
        onWarning(TreeWatcher.describe(error, path: TreeWatcher.shown(path))
                  + "; hmrd keeps running, and watches those folders once watches are free again "
                  + "(until then their changes go unseen)")
    }

    /// The message for a failure to watch, naming the setting to change.
    public static func describe(_ error: UVError, path: String) -> String {
        if error == .noSpace {
            return "inotify watch limit reached while watching \(path): increase fs.inotify.max_user_watches "
                + "(sudo sysctl fs.inotify.max_user_watches=524288) or --ignore large folders"
        }
        if error == .tooManyOpenFiles {
            return "too many inotify instances while watching \(path): increase fs.inotify.max_user_instances"
        }
        return "cannot watch \(path): \(error)"
    }

    static func lastComponent(_ path: String) -> Substring {
        path.split(separator: "/", omittingEmptySubsequences: true).last ?? ""
    }

    /// A path as the user would write it: relative to the working folder when inside it.
    static func shown(_ absolute: String) -> String {
        let base = FilePaths.currentDirectory()
        if absolute == base { return "." }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
    }

    private static let notAFolder = UVError(Int32(UV_ENOTDIR.rawValue))
}

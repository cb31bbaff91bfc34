// Watches a folder tree: one fs_event handle per folder, new folders picked up as
// they appear (with the files already inside them reported), deleted ones released.
//
// Paths are reported relative to the watched root; ignored paths and the excluded
// folders (the out dir) are neither watched nor reported.

import Glibc
import HMRCore

public final class TreeWatcher {
    public let root: String
    private let loop: EventLoop
    private let ignore: IgnoreRules
    private let excluded: [String]
    private var folders: [String: FolderEventHandle] = [:]
    private let onChange: (String) -> Void
    private let onWarning: (String) -> Void

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

    /// Watches the whole tree; the first failure (such as the watch limit) is thrown.
    public func start() throws(UVError) {
        try watchTree(root, reportFiles: false)
    }

    public func stop() {
        for handle in folders.values { handle.close() }
        folders.removeAll()
    }

    private func relative(_ absolute: String) -> String {
        absolute == root ? "" : String(absolute.dropFirst(root.count + 1))
    }

    private func isExcluded(_ absolute: String) -> Bool {
        excluded.contains { absolute == $0 || absolute.hasPrefix($0 + "/") }
    }

    private func watchTree(_ path: String, reportFiles: Bool) throws(UVError) {
        guard folders[path] == nil else { return }
        let handle = try FolderEventHandle(loop: loop, path: path) { [unowned self] name, status in
            self.folderEvent(in: path, name: name, status: status)
        }
        folders[path] = handle
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
                try watchTree(child, reportFiles: reportFiles)
            } else if reportFiles {
                onChange(relative(child))
            }
        }
    }

    private func folderEvent(in folder: String, name: String?, status: Int32) {
        if status < 0 {
            onWarning("watching \(folder) failed: \(UVError(status))")
            return
        }
        guard let name, !name.isEmpty else { return }
        let path = folder + "/" + name
        if isExcluded(path) { return }
        let rel = relative(path)
        if ignore.ignores(rel) { return }
        var info = stat()
        if lstat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR && folders[path] == nil {
                do {
                    try watchTree(path, reportFiles: true)
                } catch {
                    onWarning(TreeWatcher.describe(error, path: path))
                }
            }
        } else {
            forget(path)
        }
        onChange(rel)
    }

    /// Releases the handles of a folder that is gone, and of everything below it.
    private func forget(_ path: String) {
        for (folder, handle) in folders where folder == path || folder.hasPrefix(path + "/") {
            handle.close()
            folders[folder] = nil
        }
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
}

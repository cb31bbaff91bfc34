// Absolute, normalised paths for the folders the user named.

import Glibc

enum FilePaths {
    static func currentDirectory() -> String {
        guard let cwd = getcwd(nil, 0) else { return "/" }
        defer { free(cwd) }
        return String(cString: cwd)
    }

    /// The real path of an existing file or folder, or nil.
    static func real(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// An absolute path with `.` and `..` folded, for a folder that may not exist yet;
    /// its deepest existing ancestor is resolved so it compares with real paths.
    static func absolute(_ path: String) -> String {
        if let real = real(path) { return real }
        let joined = path.hasPrefix("/") ? path : currentDirectory() + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        // Resolve the longest existing prefix (for symlinked parents such as /tmp on macOS).
        for cut in stride(from: parts.count - 1, through: 1, by: -1) {
            if let base = real("/" + parts[..<cut].joined(separator: "/")) {
                return base + "/" + parts[cut...].joined(separator: "/")
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The folders (absolute, real) holding the paths the watcher reported, each once.
    static func folders(of shown: [String]) -> [String] {
        var parents = Set<Substring>()
        for path in shown {
            let cut = path.lastIndex(of: "/")
            parents.insert(cut.map { path[..<$0] } ?? ".")
        }
        return parents.map { absolute($0.isEmpty ? "/" : String($0)) }
    }

    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// How a path inside a watched folder is shown: `src/app.css` for `--watch src`.
    static func display(root: String, relative: String) -> String {
        var base = root
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        if base.hasPrefix("./") { base.removeFirst(2) }
        if base == "." || base.isEmpty { return relative }
        return base + "/" + relative
    }
}

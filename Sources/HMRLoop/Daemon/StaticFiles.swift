// `--serve DIR`: finds the file a request names, never outside the root and never
// a dot-file. What it is sent as (a page with the client's tag, bytes checked
// against the module map, or a file sent as it is read) is the daemon's to decide.
//
// The decoded path is checked by the core (no `..`, no dot segments); here the file
// system has the last word: the real path of what would be served must still lie
// inside the real root and name no dot-file below it, so a symlink can neither lead
// out of the root nor to a dot-file under a plain name.

import Glibc
import HMRCore

struct StaticFiles {
    /// The folder as configured; resolved on each request because a build may create it after start.
    let folder: String

    /// Pages larger than this are refused rather than read whole into memory.
    static let maxPageBytes = 64 * 1024 * 1024

    struct File {
        /// The real path, inside the root.
        var path: String
        var size: Int
        var contentType: String
        /// HTML: read whole, for the client's tag.
        var isPage: Bool { contentType.hasPrefix("text/html") }
    }

    enum Found {
        case file(File)
        case redirect(location: String)
        case notFound
    }

    func find(path: String, rawPath: String, query: String?) -> Found {
        guard let relative = StaticPath.relativePath(for: path), let root = FilePaths.real(folder) else { return .notFound }
        let candidate = relative.isEmpty ? root : root + "/" + relative
        guard let real = FilePaths.real(candidate), StaticPath.relativeRealPath(real, root: root) != nil else {
            return .notFound
        }
        var info = stat()
        guard stat(real, &info) == 0 else { return .notFound }
        var file = real
        if (info.st_mode & S_IFMT) == S_IFDIR {
            // A folder's links are relative to it: make sure the URL ends in a slash.
            guard path.hasSuffix("/") else {
                return .redirect(location: StaticPath.folderRedirect(rawPath: rawPath, query: query))
            }
            guard let index = FilePaths.real(real + "/index.html"), StaticPath.relativeRealPath(index, root: root) != nil else {
                return .notFound
            }
            file = index
            guard stat(file, &info) == 0 else { return .notFound }
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .notFound }
        return .file(File(path: file, size: Int(info.st_size), contentType: MIMEType.forPath(file)))
    }

    /// The whole file as it is now, or nil if it cannot be read or is over `limit` bytes.
    static func readAll(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return bytes }
            guard bytes.count + n <= limit else { return nil }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }
}

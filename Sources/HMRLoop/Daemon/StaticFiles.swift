// `--serve DIR`: static files, never outside the root and never dot-files, with the
// client's script tag injected into HTML pages.
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

    /// Files larger than this are refused rather than read whole into memory.
    static let maxFileBytes = 256 * 1024 * 1024

    enum Answer {
        case file(body: [UInt8], contentType: String)
        case redirect(location: String)
        case notFound
        case tooLarge
    }

    func answer(path: String, rawPath: String, query: String?, scriptTag: [UInt8]) -> Answer {
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
        guard Int(info.st_size) <= StaticFiles.maxFileBytes else { return .tooLarge }
        guard let bytes = StaticFiles.readAll(file) else { return .notFound }
        let type = MIMEType.forPath(file)
        if type.hasPrefix("text/html") {
            return .file(body: HTMLInjector.inject(scriptTag, into: bytes), contentType: type)
        }
        return .file(body: bytes, contentType: type)
    }

    private static func readAll(_ path: String) -> [UInt8]? {
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
            bytes.append(contentsOf: chunk[0..<n])
        }
    }
}

// `--serve DIR`: static files, never outside the root and never dot-files, with the
// client's script tag injected into HTML pages. A page is read whole to inject the
// tag; any other file is sent as it is read (FileBody), whatever its size.
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

    enum Answer {
        /// A page, with the client's tag in it.
        case page(body: [UInt8], contentType: String)
        /// Any other file, to send as it is read.
        case file(FileBody, contentType: String)
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
        let type = MIMEType.forPath(file)
        guard type.hasPrefix("text/html") else {
            guard let body = FileBody(path: file) else { return .notFound }
            return .file(body, contentType: type)
        }
        guard Int(info.st_size) <= StaticFiles.maxPageBytes else { return .tooLarge }
        guard let bytes = StaticFiles.readAll(file) else { return .notFound }
        return .page(body: HTMLInjector.inject(scriptTag, into: bytes), contentType: type)
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

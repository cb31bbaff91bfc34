// A file sent as a response body, read a chunk at a time as the socket takes the
// one before: a download costs one chunk of memory however large the file, and a
// reader that stops reading costs no more than that.
//
// Chunks are read with `pread` on the loop thread. A chunk of a file in the page
// cache (a build's output just written) takes tens of microseconds, and a chunk is
// only read once the last one has left, so the loop never waits on a slow client.

import Glibc

final class FileBody {
    /// Bytes read per chunk; also about how much is left queued for the socket.
    static let chunkSize = 256 * 1024

    /// The file's size when it was opened.
    let size: Int
    private var fd: Int32
    /// The next byte to send, and the byte after the last (the whole file unless `limit`ed).
    private var offset = 0
    private var end: Int

    enum Next {
        case chunk(SharedBytes)
        case end
        /// Unreadable, or shorter than promised (rewritten meanwhile): the response cannot be completed.
        case failed
    }

    /// Opens a regular file; nil if it cannot be opened or is not one.
    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        self.fd = fd
        size = Int(info.st_size)
        end = size
    }

    /// Sends only bytes `first...last` (a range request, checked against `size`).
    func limit(first: Int, last: Int) {
        offset = first
        end = last + 1
    }

    deinit { release() }

    func next() -> Next {
        guard fd >= 0 else { return .failed }
        if offset >= end {
            release()
            return .end
        }
        let wanted = min(FileBody.chunkSize, end - offset)
        let start = offset
        let chunk = SharedBytes(capacity: wanted) { base in
            var filled = 0
            while filled < wanted {
                let n = pread(fd, base + filled, wanted - filled, off_t(start + filled))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return nil }
                filled += n
            }
            return filled
        }
        guard let chunk else {
            release()
            return .failed
        }
        offset += chunk.count
        return .chunk(chunk)
    }

    /// Closes the file; called when the body is done or abandoned.
    func release() {
        if fd >= 0 { close(fd) }
        fd = -1
    }
}

// Writing to stdout and stderr unbuffered, so what the commands print is out
// before they call exit(3) — and one clear line and an exit code for failures.

import Glibc

/// Writes all of `text` to `fd`, retrying interrupted writes; a closed terminal ends it quietly.
func writeAll(_ text: String, to fd: Int32) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
    }
}

func printOut(_ text: String) { writeAll(text, to: 1) }

/// One line on stderr and the exit code; never returns.
func fail(_ message: String, code: Int32) -> Never {
    writeAll("hmrd: " + message + "\n", to: 2)
    exit(code)
}

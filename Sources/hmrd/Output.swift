// Writing to stdout and stderr unbuffered, so what a command prints comes out in
// the order it was written; and a failure as one line on stderr plus the code that
// argument-parser's dispatch exits with (HMRDCommand+Main.swift).

import ArgumentParser
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

/// Prints "hmrd: <message>" on stderr and returns the code to exit with: `throw failure(…)`.
func failure(_ message: String, code: ExitCode = .failure) -> ExitCode {
    writeAll("hmrd: " + message + "\n", to: 2)
    return code
}

/// A bad flag or value: one line that points at --help, and exit code 2
/// (argument-parser's own would be 64 after several lines).
func badFlag(_ problem: String) -> ExitCode {
    failure(problem + " (see hmrd --help)", code: ExitCode(2))
}

// Lines for the person at the terminal: status on stdout, problems on stderr.
//
// Written with write(2), unbuffered, so a line is out the moment it happens even
// when stdout is a pipe (tests and scripts read it as it comes).

import Glibc

public struct TerminalLog: Sendable {
    public init() {}

    public func info(_ line: String) { emit(1, "[hmrd] " + line + "\n") }
    public func warning(_ line: String) { emit(2, "[hmrd] warning: " + line + "\n") }
    public func error(_ line: String) { emit(2, "[hmrd] error: " + line + "\n") }

    private func emit(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

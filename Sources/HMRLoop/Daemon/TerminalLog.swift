// Writes the daemon's log lines: the formatter in HMRCore decides the bytes, this
// only asks the environment about colours, reads the wall clock and writes.
//
// Colours are decided once per stream at start (isatty on stdout and on stderr,
// NO_COLOR, FORCE_COLOR, TERM), so `hmrd | tee log` keeps colours on a terminal
// stderr and none in the file. Written with write(2), unbuffered, so a line is out
// the moment it happens even when stdout is a pipe (tests and scripts read it as
// it comes).

import Glibc
import HMRCore

public struct TerminalLog: Sendable {
    public let formatter: LogFormatter

    public init(settings: LogSettings) {
        func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        func colors(_ fd: Int32) -> Bool {
            // JSON lines are for tools; an escape inside one would only corrupt a string.
            settings.format == .text && ColorChoice.enabled(
                isTerminal: isatty(fd) == 1, noColor: env("NO_COLOR"), forceColor: env("FORCE_COLOR"), term: env("TERM"))
        }
        formatter = LogFormatter(settings: settings, colorStdout: colors(1), colorStderr: colors(2))
    }

    /// Whether an event of this level is written at all (to skip building costly ones).
    public func shows(_ level: LogLevel) -> Bool { level >= formatter.settings.threshold }

    public func emit(_ event: LogEvent) {
        guard shows(event.level) else { return }
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let now = Int(wall.tv_sec) * 1_000 + Int(wall.tv_nsec) / 1_000_000
        guard let line = formatter.line(for: event, epochMilliseconds: now) else { return }
        TerminalLog.write(line.text, to: line.stream == .stdout ? 1 : 2)
    }

    // Shorthands for the messages that are only words.
    public func warning(_ message: String) { emit(.warning(message)) }
    public func error(_ message: String) { emit(.error(message)) }

    static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

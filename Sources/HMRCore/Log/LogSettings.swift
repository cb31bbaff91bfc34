// How much the daemon tells the terminal, and in which shape: the settings behind
// `--quiet`, `--verbose` and `--log-format`.
//
// Every line has a level; a line below the threshold is not written. `--quiet`
// raises the threshold to `notice` (warnings, errors and the one listening line),
// `--verbose` lowers it to the per-event detail (each change, each client, each
// request).

public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    /// Per-event detail, shown with `--verbose`.
    case debug
    case info
    /// Shown even with --quiet: the listening line, the only place a `--port 0`
    /// daemon says its port, which scripts wait for.
    case notice
    case warning
    case error

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }

    /// As written in a JSON line's `level`.
    public var name: String {
        switch self {
        case .debug: return "debug"
        case .info: return "info"
        case .notice: return "notice"
        case .warning: return "warning"
        case .error: return "error"
        }
    }
}

public enum LogFormat: String, Sendable, CaseIterable {
    /// Lines for a person: `[hmrd] …`, status on stdout, problems on stderr.
    case text
    /// One JSON object per line on stdout, for tools.
    case json
}

/// Where the build's own output goes while it runs.
public enum BuildEcho: Sendable, Equatable {
    /// Its stdout to ours and its stderr to ours, bytes unchanged.
    case unchanged
    /// Both to our stderr, bytes unchanged, so stdout carries nothing but JSON lines.
    case allToStderr
    /// Nowhere while it runs; a failed build's output tail is shown with the failure.
    case held
}

public struct LogSettings: Sendable, Equatable {
    public var format: LogFormat
    /// The least severe level written.
    public var threshold: LogLevel

    public init(format: LogFormat = .text, threshold: LogLevel = .info) {
        self.format = format
        self.threshold = threshold
    }

    public var isQuiet: Bool { threshold >= .notice }

    /// Quiet holds the build's output back (a successful build says nothing at all,
    /// like `chronic`); JSON keeps stdout for its lines.
    public var buildEcho: BuildEcho {
        if isQuiet { return .held }
        return format == .json ? .allToStderr : .unchanged
    }
}

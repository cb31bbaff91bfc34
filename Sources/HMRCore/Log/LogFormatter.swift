// Events in, bytes out: turns a LogEvent into the line the terminal gets, or into
// nothing when its level is below the threshold.
//
// Text lines go to stdout (status and detail) or stderr (warnings and errors), each
// with or without colours as the caller decided for that stream. JSON lines all go
// to stdout, so a tool reads one stream of one JSON object per line. The time is
// passed in; nothing here reads a clock or writes a byte.

public struct LogLine: Sendable, Equatable {
    public enum Stream: Sendable, Equatable { case stdout, stderr }
    public var stream: Stream
    public var text: String

    public init(_ stream: Stream, _ text: String) {
        self.stream = stream
        self.text = text
    }
}

public struct LogFormatter: Sendable {
    public var settings: LogSettings
    public var colorStdout: Bool
    public var colorStderr: Bool

    /// What starts every text line, so hmrd's lines stand out among the build's.
    public static let prefix = "[hmrd]"

    public init(settings: LogSettings, colorStdout: Bool = false, colorStderr: Bool = false) {
        self.settings = settings
        self.colorStdout = colorStdout
        self.colorStderr = colorStderr
    }

    public func line(for event: LogEvent, epochMilliseconds: Int) -> LogLine? {
        guard event.level >= settings.threshold else { return nil }
        switch settings.format {
        case .text: return textLine(for: event)
        case .json: return LogLine(.stdout, jsonLine(for: event, epochMilliseconds: epochMilliseconds))
        }
    }

    /// The event's message as styled pieces; joined without styles it is the plain message.
    func pieces(of event: LogEvent) -> [(text: String, style: ANSIStyle?)] {
        switch event {
        case .listening(let url, let path):
            // One painted piece: "listening on http://HOST:PORT" stays findable in coloured output too.
            return [("listening on " + url, .boldCyan),
                    (" — stream \(path), client <script src=\"\(url)\(path)/client.js\"></script>", nil)]
        case .building(let trigger):
            let cause = trigger.isEmpty ? "first build" : TerminalText.summary(of: trigger)
            return [("building…", .cyan), (" (\(cause))", nil)]
        case .built(let b):
            return [("built", .boldGreen),
                    (" \(b.hash) in \(b.milliseconds)ms: \(b.added) added, \(b.updated) updated, \(b.removed) removed; "
                     + TerminalText.count(b.clients, "client") + " told", nil)]
        case .buildFailed(let f):
            return [("build failed", .boldRed),
                    (" in \(f.milliseconds)ms: \(f.reason); " + TerminalText.count(f.clients, "client") + " told", nil)]
        case .warning(let message), .error(let message):
            return [(message, nil)]
        case .stopping:
            return [("stopping", nil)]
        case .acceptingAgain(let count):
            return [("accepting connections again (\(count) turned away while out of file descriptors)", nil)]
        case .changed(let path):
            return [("changed \(path)", .dim)]
        case .clientConnected(let page, let open):
            return [("client connected (\(open) open)" + (page.map { " from " + $0 } ?? ""), .dim)]
        case .clientDisconnected(let open, let stalled):
            return [("client disconnected (\(open) open)" + (stalled ? ": dropped, it stopped reading" : ""), .dim)]
        case .request(let method, let target, let status, let note):
            let request = method.map { $0 + " " + (target ?? "") } ?? "unreadable request"
            return [("\(request) \(status)" + (note.map { " (\($0))" } ?? ""), .dim)]
        }
    }

    /// The message without styles: the JSON `message`, and the text line minus prefix and label.
    public func message(for event: LogEvent) -> String {
        TerminalText.safe(pieces(of: event).map(\.text).joined())
    }
}

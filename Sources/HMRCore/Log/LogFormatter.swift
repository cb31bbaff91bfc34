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
        case .pagesOutcome(let outcome):
            return [("pages", .boldGreen), (" \(outcome.hash): \(outcome.sentence)", nil)]
        case .pageFailed(let url, let hash, let error):
            let lines = LogFormatter.stackLines(error)
            return [("a page could not apply \(hash): \(lines.first ?? "")", nil), (" (\(url))", .dim)]
                + LogFormatter.indented(lines.dropFirst())
        case .pageError(let url, let rejection, let message, let stack):
            let what = rejection ? "unhandled rejection" : "uncaught error"
            // A stack's first line is the message again (Chromium's "Uncaught " aside).
            let lines = LogFormatter.stackLines(stack ?? "").filter { $0.isEmpty || !($0.hasSuffix(message) || message.hasSuffix($0)) }
            return [("\(what) in a page: \(message)", nil), (" (\(url))", .dim)] + LogFormatter.indented(lines[...])
        case .backendDown(let backend, let reason):
            return [("the backend at \(backend) is not answering (\(reason)); pages show a waiting page "
                     + "that comes back by itself once it does", nil)]
        case .backendUp(let backend):
            return [("the backend at \(backend) answers again", nil)]
        case .reportsDropped(let url, let count):
            return [("dropped \(TerminalText.count(count, "report")) of \(url): more than "
                     + "\(Int(ReportRateLimit.Kind.reports.pagePerSecond)) a second (answered 429)", nil)]
        case .ghostDropped(let url, let count):
            return [("dropped \(TerminalText.count(count, "ghost sync action")) of \(url): more than "
                     + "\(Int(ReportRateLimit.Kind.ghost.pagePerSecond)) a second (answered 429)", nil)]
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

    /// A piece that is a line break: the text form starts an indented line, each line made safe.
    static let lineBreak = "\n"
    /// Stack lines shown at most; the JSON form has them all.
    static let maxStackLines = 12

    static func stackLines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { String($0.drop { $0 == " " || $0 == "\t" }) }.filter { !$0.isEmpty }
    }

    static func indented(_ lines: ArraySlice<String>) -> [(text: String, style: ANSIStyle?)] {
        let shown = lines.prefix(maxStackLines)
        var pieces = shown.flatMap { [(text: lineBreak, style: nil), (text: $0, style: ANSIStyle.dim)] as [(text: String, style: ANSIStyle?)] }
        if lines.count > shown.count { pieces += [(lineBreak, nil), ("… \(lines.count - shown.count) more", .dim)] }
        return pieces
    }

    /// The message without styles: the JSON `message`, and the text line minus prefix and label.
    public func message(for event: LogEvent) -> String {
        TerminalText.safe(pieces(of: event).map(\.text).joined())
    }
}

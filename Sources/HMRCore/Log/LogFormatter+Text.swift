// The text form: `[hmrd] message`, with `warning:` or `error:` before problems.
//
// With colours off the bytes are exactly the uncoloured line, which scripts and the
// tests match; colours only wrap pieces of it. Every piece is made safe for a
// terminal; only the build's own output (held back by --quiet and shown with its
// failure) passes unchanged, as it would have live.

extension LogFormatter {
    func textLine(for event: LogEvent) -> LogLine {
        let stream: LogLine.Stream = event.level >= .warning ? .stderr : .stdout
        let colored = stream == .stdout ? colorStdout : colorStderr
        var text = ""
        if case .buildFailed(let failure) = event, settings.buildEcho == .held, !failure.output.isEmpty {
            text += failure.output.hasSuffix("\n") ? failure.output : failure.output + "\n"
        }
        text += ANSIStyle.dim.paint(LogFormatter.prefix, colored: colored) + " "
        switch event.level {
        case .warning: text += ANSIStyle.boldYellow.paint("warning:", colored: colored) + " "
        case .error: text += ANSIStyle.boldRed.paint("error:", colored: colored) + " "
        case .debug, .info, .notice: break
        }
        for piece in pieces(of: event) {
            if piece.text == LogFormatter.lineBreak {
                text += "\n    "
                continue
            }
            let safe = TerminalText.safe(piece.text)
            text += piece.style.map { $0.paint(safe, colored: colored) } ?? safe
        }
        return LogLine(stream, text + "\n")
    }
}

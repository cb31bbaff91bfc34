// Whether one output stream gets ANSI colours: decided per stream, from whether it
// is a terminal and from the environment, by the conventions other tools follow.
//
// The caller asks isatty(2) and getenv(3); the decision itself is plain logic, so
// it is tested here without a terminal.

public enum ColorChoice {
    /// - `NO_COLOR` set and not empty: never (no-color.org), whatever else says.
    /// - `FORCE_COLOR` set and not empty: colours even through a pipe (CI logs that
    ///   render ANSI), except `0` or `false`, which turn them off as in Node.
    /// - `TERM=dumb`: none, as that terminal shows escapes as text.
    /// - otherwise: only on a terminal.
    public static func enabled(isTerminal: Bool, noColor: String?, forceColor: String?, term: String?) -> Bool {
        if let noColor, !noColor.isEmpty { return false }
        if let forceColor, !forceColor.isEmpty {
            return forceColor != "0" && forceColor != "false"
        }
        if term == "dumb" { return false }
        return isTerminal
    }
}

// The few SGR styles the terminal lines use, and how a piece of text is wrapped in
// one. Each painted piece ends with a full reset, so no style leaks into the next
// piece or into the build's own output that follows.

public enum ANSIStyle: String, Sendable {
    case dim = "2"
    case cyan = "36"
    case boldCyan = "1;36"
    case boldGreen = "1;32"
    case boldYellow = "1;33"
    case boldRed = "1;31"

    public static let reset = "\u{1B}[0m"

    /// `text` in this style, or unchanged when colours are off (or there is nothing to paint).
    public func paint(_ text: String, colored: Bool) -> String {
        guard colored, !text.isEmpty else { return text }
        return "\u{1B}[\(rawValue)m" + text + ANSIStyle.reset
    }
}

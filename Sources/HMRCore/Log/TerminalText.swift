// Small text helpers for terminal lines: escaping what must not reach a terminal
// raw, summing up a list of paths, and counting nouns.
//
// Paths, request targets and Referers come from the file system and from any page
// in a browser: a file named with an escape sequence must show as text, not
// recolour or retitle the user's terminal.

public enum TerminalText {
    /// `text` with every control character (C0, DEL, C1) written as a visible escape.
    public static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar):
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// How many paths a summary names before "and N more": a line stays a line.
    public static let pathsShown = 3

    /// "a, b, c and 4 more".
    public static func summary(of paths: [String]) -> String {
        let shown = paths.prefix(pathsShown).joined(separator: ", ")
        return paths.count > pathsShown ? shown + " and \(paths.count - pathsShown) more" : shown
    }

    /// "1 client", "2 clients".
    public static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)" + (n == 1 ? "" : "s")
    }
}

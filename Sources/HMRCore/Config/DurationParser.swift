// DUR values on the command line: `250ms`, `10s`, `2m`; a bare integer is milliseconds.

public enum DurationParser {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let text: String
        public var description: String {
            "invalid duration '\(text)': use a number with ms, s or m, such as 250ms, 10s or 2m"
        }
    }

    /// The duration in milliseconds.
    public static func milliseconds(_ text: String) throws(Failure) -> Int {
        let units: [(suffix: String, factor: Int)] = [("ms", 1), ("s", 1_000), ("m", 60_000)]
        var digits = Substring(text)
        var factor = 1
        for unit in units where text.hasSuffix(unit.suffix) {
            digits = text.dropLast(unit.suffix.count)
            factor = unit.factor
            break
        }
        // Digits only: no sign, no spaces, no decimals, at most nine of them so nothing overflows.
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int(digits) else {
            throw Failure(text: text)
        }
        return value * factor
    }

    /// How a duration reads back in messages: the largest unit that divides it.
    public static func format(milliseconds ms: Int) -> String {
        if ms >= 60_000 && ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms >= 1_000 && ms % 1_000 == 0 { return "\(ms / 1_000)s" }
        return "\(ms)ms"
    }
}

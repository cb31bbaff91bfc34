// A tiny JSON writer with a fixed key order and compact output.
//
// Payloads are compared byte for byte in tests and encoded once per broadcast, so
// we write them by hand rather than through Foundation's encoder, whose key order
// and escaping we do not control.

public struct JSONWriter {
    public private(set) var text = ""
    private var needsComma: [Bool] = [false]

    public init() {}

    public mutating func beginObject() { separate(); text += "{"; needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); text += "}" }
    public mutating func beginArray() { separate(); text += "["; needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); text += "]" }

    public mutating func key(_ name: String) {
        separate()
        JSONWriter.appendQuoted(name, to: &text)
        text += ":"
        // The value that follows must not add another comma.
        needsComma[needsComma.count - 1] = false
    }

    public mutating func string(_ value: String) { separate(); JSONWriter.appendQuoted(value, to: &text) }
    public mutating func int(_ value: Int) { separate(); text += String(value) }
    public mutating func bool(_ value: Bool) { separate(); text += value ? "true" : "false" }
    public mutating func null() { separate(); text += "null" }
    /// A number with three decimals, for seconds.
    public mutating func milliFixed(_ milliseconds: Int) {
        separate()
        let sign = milliseconds < 0 ? "-" : ""
        let m = abs(milliseconds)
        let frac = String(m % 1000)
        text += "\(sign)\(m / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }

    public mutating func stringArray(_ values: [String]) {
        beginArray()
        for v in values { string(v) }
        endArray()
    }

    public mutating func stringMap(_ pairs: [(String, String)]) {
        beginObject()
        for (k, v) in pairs { key(k); string(v) }
        endObject()
    }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    /// JSON string escaping: quotes, backslashes and every control character.
    /// U+2028 and U+2029 are escaped too so the text is also valid inside a JS literal.
    public static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    public static func quoted(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }
}

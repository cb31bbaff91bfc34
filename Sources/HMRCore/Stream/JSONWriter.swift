// A tiny JSON writer with a fixed key order and compact output.
//
// Payloads are compared byte for byte in tests and encoded once per broadcast, so
// we write them by hand rather than through Foundation's encoder, whose key order
// and escaping we do not control. It writes UTF-8 bytes, not a String: a `built`
// payload of a large module map is hundreds of kilobytes, and appending to a byte
// array is a copy where appending to a String is a walk over characters.

public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init() {}

    /// What was written, as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); bytes.append(UInt8(ascii: "}")) }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); bytes.append(UInt8(ascii: "]")) }

    public mutating func key(_ name: String) {
        separate()
        JSONEscaping.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        // The value that follows must not add another comma.
        needsComma[needsComma.count - 1] = false
    }

    public mutating func string(_ value: String) { separate(); JSONEscaping.appendQuoted(value, to: &bytes) }
    public mutating func int(_ value: Int) { separate(); bytes.append(contentsOf: String(value).utf8) }
    public mutating func bool(_ value: Bool) { separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8) }
    /// A number with three decimals, for seconds.
    public mutating func milliFixed(_ milliseconds: Int) {
        separate()
        let sign = milliseconds < 0 ? "-" : ""
        let m = abs(milliseconds)
        let frac = String(m % 1000)
        bytes.append(contentsOf: "\(sign)\(m / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)".utf8)
    }

    /// A number rounded to tenths, e.g. milliseconds a page measured ("8.4"; "12" when whole).
    public mutating func tenths(_ value: Double) {
        separate()
        let tenths = Int((value * 10).rounded())
        let text = tenths % 10 == 0 ? String(tenths / 10) : (tenths < 0 && tenths > -10 ? "-" : "") + "\(tenths / 10).\(abs(tenths % 10))"
        bytes.append(contentsOf: text.utf8)
    }

    /// A share from 0 to 1 with four decimals, trailing zeros dropped ("0.5", "1", "0.1234").
    public mutating func fraction(_ value: Double) {
        separate()
        let tenThousandths = Int((min(max(value, 0), 1) * 10_000).rounded())
        var text = String(tenThousandths / 10_000)
        if tenThousandths % 10_000 != 0 {
            let digits = String(tenThousandths % 10_000)
            let padded = String(repeating: "0", count: 4 - digits.count) + digits
            text += "." + padded.replacing(/0+$/, with: "")
        }
        bytes.append(contentsOf: text.utf8)
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

    /// A value that is already JSON (a module map encoded once per build), copied as is.
    mutating func raw(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
    }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    /// JSON string escaping: quotes, backslashes and every control character.
    /// U+2028 and U+2029 are escaped too so the text is also valid inside a JS literal.
    public static func appendQuoted(_ s: String, to out: inout String) {
        out += quoted(s)
    }

    public static func quoted(_ s: String) -> String {
        var bytes: [UInt8] = []
        JSONEscaping.appendQuoted(s, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

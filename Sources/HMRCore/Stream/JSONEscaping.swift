// JSON string escaping on UTF-8 bytes, the one place that decides which bytes of
// a string need an escape on the wire.
//
// Quotes, backslashes, every control character (and DEL) are escaped; so are
// U+2028 and U+2029, which JSON allows raw but a JS string literal does not. Any
// other character, ASCII or not, is copied as its UTF-8 bytes: a Swift string is
// always valid UTF-8, so copying bytes writes exactly what appending its scalars
// would. Runs of bytes that need nothing are copied in one piece, which makes a
// module map of 10,000 plain paths a string of bulk copies.

enum JSONEscaping {
    /// For each byte: 0 copy as is, 1 escape it, 2 maybe the lead byte of U+2028/U+2029.
    private static let classes: [UInt8] = (0..<256).map { byte -> UInt8 in
        if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F { return 1 }
        return byte == 0xE2 ? 2 : 0
    }

    /// `s` between double quotes, escaped, appended to `out`.
    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { appendEscaped($0, to: &out) }
        if done == nil {
            let bytes = Array(s.utf8)
            bytes.withUnsafeBufferPointer { appendEscaped($0, to: &out) }
        }
        out.append(0x22)
    }

    /// True when `s` is written between quotes without any escape.
    static func isPlain(_ s: String) -> Bool {
        s.utf8.allSatisfy { classes[Int($0)] == 0 }
    }

    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        classes.withUnsafeBufferPointer { classes in
            var runStart = 0
            var i = 0
            let count = bytes.count
            while i < count {
                let byte = bytes[i]
                let kind = classes[Int(byte)]
                if kind == 0 { i += 1; continue }
                if kind == 2 {
                    // E2 80 A8 and E2 80 A9 are U+2028 and U+2029; other E2 sequences pass.
                    guard i + 2 < count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 else {
                        i += 1
                        continue
                    }
                }
                if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                if kind == 2 {
                    out.append(contentsOf: bytes[i + 2] == 0xA8 ? escape2028 : escape2029)
                    i += 3
                } else {
                    appendEscape(of: byte, to: &out)
                    i += 1
                }
                runStart = i
            }
            if count > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count])) }
        }
    }

    private static let escape2028: [UInt8] = Array(#"\u2028"#.utf8)
    private static let escape2029: [UInt8] = Array(#"\u2029"#.utf8)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// One ASCII byte that needs escaping: the short forms JSON has, else `\u00XX` in lowercase hex.
    private static func appendEscape(of byte: UInt8, to out: inout [UInt8]) {
        let backslash: UInt8 = 0x5C
        switch byte {
        case 0x22: out.append(contentsOf: [backslash, 0x22])
        case 0x5C: out.append(contentsOf: [backslash, backslash])
        case 0x0A: out.append(contentsOf: [backslash, UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [backslash, UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [backslash, UInt8(ascii: "t")])
        case 0x08: out.append(contentsOf: [backslash, UInt8(ascii: "b")])
        case 0x0C: out.append(contentsOf: [backslash, UInt8(ascii: "f")])
        default:
            out.append(contentsOf: [backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                    hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
        }
    }
}

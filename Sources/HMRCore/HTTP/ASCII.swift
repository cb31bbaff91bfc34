// Byte classes and ASCII-only string helpers shared by the HTTP code.
//
// HTTP names (methods, header names, hosts, schemes) are ASCII and compared
// case-insensitively by the protocol, so these helpers fold only A-Z and leave
// every other byte alone. That keeps comparisons cheap and locale-free, and
// means a non-ASCII byte can never accidentally match an ASCII name.

enum ASCII {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let colon: UInt8 = 0x3A
    static let delete: UInt8 = 0x7F

    /// RFC 9110 `tchar`: the bytes allowed in methods and header names.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
             UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Visible ASCII (VCHAR), the only bytes a request-target may contain.
    static func isVisible(_ byte: UInt8) -> Bool {
        byte >= 0x21 && byte <= 0x7E
    }

    /// Control bytes: C0 controls and DEL.
    static func isControl(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == delete
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (lowercased(byte) >= UInt8(ascii: "a") && lowercased(byte) <= UInt8(ascii: "z"))
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (lowercased(byte) >= UInt8(ascii: "a") && lowercased(byte) <= UInt8(ascii: "f"))
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 0x20 : byte
    }

    static func lowercased(_ string: String) -> String {
        String(decoding: string.utf8.map(lowercased), as: UTF8.self)
    }

    static func equalsIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count
            && zip(lhs.utf8, rhs.utf8).allSatisfy { lowercased($0) == lowercased($1) }
    }

    /// Strips leading and trailing SP and HTAB (HTTP's optional whitespace).
    static func trimmingWhitespace(_ string: Substring) -> Substring {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = string.firstIndex(where: { !isWhitespace($0) }),
              let last = string.lastIndex(where: { !isWhitespace($0) }) else { return "" }
        return string[first...last]
    }

    /// Splits a comma-separated header value into trimmed, non-empty elements.
    static func listElements(_ value: String) -> [Substring] {
        value.split(separator: ",", omittingEmptySubsequences: false)
            .map(trimmingWhitespace)
            .filter { !$0.isEmpty }
    }
}

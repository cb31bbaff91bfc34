// The recursive-descent parser behind JSONValue.parse: RFC 8259, nothing more (no
// comments, no trailing commas), with a depth limit so a hostile document cannot
// exhaust the stack of a command that only wanted a status.

struct JSONParser {
    private let bytes: [UInt8]
    private var at = 0
    private var depth = 0
    /// Far deeper than anything hmrd writes (three levels), far shallower than the stack.
    static let maxDepth = 64

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws(JSONValue.ParseError) -> JSONValue {
        let value = try self.value()
        skipSpace()
        guard at == bytes.count else { throw fail("unexpected text after the value") }
        return value
    }

    private func fail(_ reason: String) -> JSONValue.ParseError { JSONValue.ParseError(offset: at, reason: reason) }

    private mutating func skipSpace() {
        while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
    }

    private mutating func value() throws(JSONValue.ParseError) -> JSONValue {
        skipSpace()
        guard at < bytes.count else { throw fail("unexpected end") }
        switch bytes[at] {
        case UInt8(ascii: "{"): return try nested { (p: inout JSONParser) throws(JSONValue.ParseError) in try p.object() }
        case UInt8(ascii: "["): return try nested { (p: inout JSONParser) throws(JSONValue.ParseError) in try p.array() }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    private mutating func nested(_ body: (inout JSONParser) throws(JSONValue.ParseError) -> JSONValue)
        throws(JSONValue.ParseError) -> JSONValue {
        guard depth < JSONParser.maxDepth else { throw fail("nested deeper than \(JSONParser.maxDepth)") }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    private mutating func expect(_ byte: UInt8) throws(JSONValue.ParseError) {
        skipSpace()
        guard at < bytes.count, bytes[at] == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        at += 1
    }

    /// Consumes `byte` if it comes next (after space).
    private mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard at < bytes.count, bytes[at] == byte else { return false }
        at += 1
        return true
    }

    private mutating func object() throws(JSONValue.ParseError) -> JSONValue {
        try expect(UInt8(ascii: "{"))
        var fields: [String: JSONValue] = [:]
        if take(UInt8(ascii: "}")) { return .object(fields) }
        repeat {
            skipSpace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw fail("expected a key") }
            let key = try string()
            try expect(UInt8(ascii: ":"))
            fields[key] = try value()
        } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
        return .object(fields)
    }

    private mutating func array() throws(JSONValue.ParseError) -> JSONValue {
        try expect(UInt8(ascii: "["))
        var items: [JSONValue] = []
        if take(UInt8(ascii: "]")) { return .array(items) }
        repeat { items.append(try value()) } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
        return .array(items)
    }

    private mutating func literal(_ word: String) throws(JSONValue.ParseError) {
        let expected = Array(word.utf8)
        guard bytes.count - at >= expected.count, Array(bytes[at..<at + expected.count]) == expected else {
            throw fail("expected \(word)")
        }
        at += expected.count
    }

    private mutating func number() throws(JSONValue.ParseError) -> Double {
        let start = at
        func digits(_ p: inout JSONParser) -> Int {
            let from = p.at
            while p.at < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.at]) { p.at += 1 }
            return p.at - from
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
        let whole = digits(&self)
        guard whole > 0 else { throw fail("expected a value") }
        guard whole == 1 || bytes[at - whole] != UInt8(ascii: "0") else { throw fail("leading zero") }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            at += 1
            guard digits(&self) > 0 else { throw fail("expected digits after '.'") }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            at += 1
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard digits(&self) > 0 else { throw fail("expected digits in the exponent") }
        }
        guard let value = Double(String(decoding: bytes[start..<at], as: UTF8.self)) else { throw fail("bad number") }
        return value
    }

    private mutating func string() throws(JSONValue.ParseError) -> String {
        at += 1  // the opening quote
        var out: [UInt8] = []
        while true {
            guard at < bytes.count else { throw fail("unterminated string") }
            let byte = bytes[at]
            at += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0..<0x20:
                throw fail("control character in a string")
            default:
                out.append(byte)
            }
        }
    }

    private mutating func escape(into out: inout [UInt8]) throws(JSONValue.ParseError) {
        guard at < bytes.count else { throw fail("unterminated escape") }
        let byte = bytes[at]
        at += 1
        let simple: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A,
                                      0x72: 0x0D, 0x74: 0x09]
        if let plain = simple[byte] {
            out.append(plain)
            return
        }
        guard byte == UInt8(ascii: "u") else { throw fail("unknown escape") }
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
            // A high surrogate must be followed by an escaped low one; together they are one scalar.
            guard bytes.count - at >= 6, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else {
                throw fail("lone surrogate")
            }
            at += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw fail("lone surrogate") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw fail("lone surrogate")
        }
        out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
    }

    private mutating func hex4() throws(JSONValue.ParseError) -> UInt32 {
        guard bytes.count - at >= 4 else { throw fail("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[at]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("bad hex digit in \\u escape")
            }
            value = value * 16 + UInt32(digit)
            at += 1
        }
        return value
    }
}

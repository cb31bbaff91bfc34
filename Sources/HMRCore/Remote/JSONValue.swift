// A JSON value, and a strict parser for the documents hmrd itself writes: the
// status report and the stream's payloads, read back by `hmrd status` and
// `hmrd wait`.
//
// Hand-written like JSONWriter, so the binary needs no Foundation. Numbers are
// kept as Double (hmrd's are integers and `uptime`'s three decimals); objects keep
// the last value of a repeated key.

public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var number: Double? { if case .number(let n) = self { return n }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var isNull: Bool { self == .null }

    /// The number as an Int, if it is a whole number that fits.
    public var int: Int? {
        guard let n = number, n == n.rounded(), abs(n) < 9.0e15 else { return nil }
        return Int(n)
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> JSONValue {
        var parser = JSONParser(Array(text.utf8))
        return try parser.document()
    }
}

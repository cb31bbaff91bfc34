// Percent-decoding of a URL path, done exactly once.
//
// Decoding once matters: `%252e%252e` must become the harmless literal name
// `%2e%2e`, never `..`. Malformed escapes are an error instead of being passed
// through, so two programs can never disagree about what a path means.

enum PercentDecoding {
    /// The decoded bytes, or nil when a `%` is not followed by two hex digits.
    static func decode<Bytes: Collection<UInt8>>(_ encoded: Bytes) -> [UInt8]? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(encoded.count)
        var iterator = encoded.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                decoded.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue),
                  let low = iterator.next().flatMap(hexValue) else { return nil }
            decoded.append(high << 4 | low)
        }
        return decoded
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

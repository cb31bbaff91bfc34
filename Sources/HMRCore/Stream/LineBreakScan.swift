// Finds the first `\n` or `\r` in a byte buffer, eight bytes at a time.
//
// The core imports no C library, so there is no memchr here; the classic
// "has a zero byte" word trick does the same job: XOR each word with the byte
// repeated, and a zero byte in the result marks a match. The test says exactly
// whether a word holds a match, not where, so that word is then read byte by byte.

enum LineBreakScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Offset of the first LF or CR, or nil if there is none.
    static func firstBreak(in bytes: UnsafeRawBufferPointer) -> Int? {
        let count = bytes.count
        var i = 0
        while i + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if hasZeroByte(word ^ (ones &* 0x0A)) || hasZeroByte(word ^ (ones &* 0x0D)) { break }
            i += 8
        }
        while i < count {
            let byte = bytes[i]
            if byte == 0x0A || byte == 0x0D { return i }
            i += 1
        }
        return nil
    }

    /// True if some byte of `x` is zero (a borrow can flag the wrong byte, never a word without a zero).
    private static func hasZeroByte(_ x: UInt64) -> Bool {
        (x &- ones) & ~x & highs != 0
    }
}

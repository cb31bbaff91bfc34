// The line that binds `import.meta.hot` in a module that uses it, and where it goes:
// at the start of line 1, after a byte-order mark, or at the start of line 2 when line
// 1 is a hashbang (`#!`), which must stay first. It adds no line break of its own.

enum HotPrologue {
    static let bytes: [UInt8] = Array("import.meta.hot = globalThis.__hmrHot?.(import.meta.url);".utf8)

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Where the prologue goes in `source`, and whether a line break must come before it.
    /// A break is needed only for a file that is one hashbang line with no line break:
    /// it has no code to bind hot for, so a correct scan never asks, but if one does
    /// the prologue goes after a new `\n` at the very end, where it moves no line.
    static func insertion(in source: [UInt8]) -> (offset: Int, needsLineBreak: Bool) {
        let start = source.starts(with: byteOrderMark) ? byteOrderMark.count : 0
        guard source.dropFirst(start).starts(with: "#!".utf8) else { return (start, false) }
        guard let lineEnd = hashbangLineEnd(in: source, from: start) else { return (source.count, true) }
        return (lineEnd, false)
    }

    /// The offset just past the hashbang's line terminator: LF, CR, CRLF, U+2028 or U+2029,
    /// as JS ends a comment line; nil when there is none.
    private static func hashbangLineEnd(in source: [UInt8], from start: Int) -> Int? {
        var i = start
        while i < source.count {
            switch source[i] {
            case 0x0A:
                return i + 1
            case 0x0D:
                return i + 1 < source.count && source[i + 1] == 0x0A ? i + 2 : i + 1
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
            case 0xE2 where i + 2 < source.count && source[i + 1] == 0x80 && source[i + 2] & 0xFE == 0xA8:
                return i + 3
            default:
                i += 1
            }
        }
        return nil
    }
}

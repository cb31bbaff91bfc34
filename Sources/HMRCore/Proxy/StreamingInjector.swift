// Puts the client's <script> tag into proxied HTML that arrives in pieces: just
// before the first `</body>` (ASCII case-insensitive), else at the end.
//
// `HTMLInjector` picks the last `</body>` of a whole page; a stream cannot wait
// for its end, so the first is taken and everything else is passed on at once.

#if canImport(Glibc)
import Glibc
#endif

public struct StreamingInjector: Sendable {
    static let closingBody: [UInt8] = Array("</body>".utf8)

    let tag: [UInt8]
    /// The end of what was fed, as sent, while it may be the start of `</body>`:
    /// never longer than `</body` (six bytes).
    private var held: [UInt8] = []
    /// Whether the tag was put out: before `</body>` by a feed, or by `finish`.
    public private(set) var injected = false

    public init(tag: [UInt8]) {
        self.tag = tag
    }

    /// The bytes that may be sent now: `bytes`, after what an earlier feed held
    /// back, with the tag before the first `</body>`, less what may start one.
    ///
    /// Once `finish` has run, everything fed came out exactly once and the tag
    /// once: the output is the input's length plus the tag's, which the caller
    /// relies on to announce an exact Content-Length before the body is read.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [UInt8] { feed(Array(bytes)) }

    /// As above; an array is searched by code made for it (a generic call from another
    /// module is not specialised, and cost a millisecond per 10 KB page).
    public mutating func feed(_ bytes: [UInt8]) -> [UInt8] {
        if injected { return bytes }
        let input = held.isEmpty ? bytes : held + bytes
        held = []
        return input.withUnsafeBufferPointer { buffer in
            if let match = Self.firstClosingBody(in: buffer) {
                injected = true
                var output: [UInt8] = []
                output.reserveCapacity(buffer.count + tag.count)
                output.append(contentsOf: buffer[..<match])
                output += tag
                output.append(contentsOf: buffer[match...])
                return output
            }
            let kept = Self.closingBodyStart(atEndOf: buffer)
            held = Array(buffer[(buffer.count - kept)...])
            return Array(buffer[..<(buffer.count - kept)])
        }
    }

    /// Where the first `</body>` (any case) starts. memchr (vectorised) finds each `<`:
    /// this runs over every proxied page, and a byte-by-byte loop showed in the bench.
    static func firstClosingBody(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress, bytes.count >= 7 else { return nil }
        var start = 0
        while start <= bytes.count - 7 {
            guard let found = memchr(base + start, Int32(UInt8(ascii: "<")), bytes.count - 6 - start) else { return nil }
            let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            // `| 0x20` folds case, and only for letters: just 'B' and 'b' give 'b'.
            if base[at + 1] == UInt8(ascii: "/"), base[at + 2] | 0x20 == UInt8(ascii: "b"),
               base[at + 3] | 0x20 == UInt8(ascii: "o"), base[at + 4] | 0x20 == UInt8(ascii: "d"),
               base[at + 5] | 0x20 == UInt8(ascii: "y"), base[at + 6] == UInt8(ascii: ">") {
                return at
            }
            start = at + 1
        }
        return nil
    }

    /// How many of the last bytes (at most six) could be the start of `</body>`.
    static func closingBodyStart(atEndOf bytes: UnsafeBufferPointer<UInt8>) -> Int {
        for count in stride(from: min(closingBody.count - 1, bytes.count), through: 1, by: -1)
        where matchesClosingBody(bytes, from: bytes.count - count, count: count) {
            return count
        }
        return 0
    }

    /// Whether `count` bytes from `start` are the first `count` of `</body>`, case aside.
    static func matchesClosingBody(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> Bool {
        closingBody.withUnsafeBufferPointer { needle in
            for offset in 0..<count where ASCII.lowercased(bytes[start + offset]) != needle[offset] { return false }
            return true
        }
    }

    /// What was held back, and the tag if no `</body>` came: the document has
    /// ended, and browsers run a script after it too.
    public mutating func finish() -> [UInt8] {
        guard !injected else { return [] }
        injected = true
        defer { held = [] }
        return held + tag
    }
}

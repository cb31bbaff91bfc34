// Puts the client's <script> tag into proxied HTML that arrives in pieces: just
// before the first `</body>` (ASCII case-insensitive), else at the end.
//
// `HTMLInjector` picks the last `</body>` of a whole page; a stream cannot wait
// for its end, so the first is taken and everything else is passed on at once.

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
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [UInt8] {
        if injected { return Array(bytes) }
        var output: [UInt8] = []
        output.reserveCapacity(held.count + bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            guard !held.isEmpty else {
                // Everything before the next `<` passes straight through.
                guard let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) else {
                    output += bytes[index...]
                    break
                }
                output += bytes[index..<open]
                held.append(bytes[open])
                index = bytes.index(after: open)
                continue
            }
            let byte = bytes[index]
            guard ASCII.lowercased(byte) == Self.closingBody[held.count] else {
                // Not `</body>` after all; this byte is looked at again, as it may be a `<`.
                output += held
                held.removeAll(keepingCapacity: true)
                continue
            }
            held.append(byte)
            index = bytes.index(after: index)
            if held.count == Self.closingBody.count {
                output += tag
                output += held
                held = []
                injected = true
                output += bytes[index...]
                break
            }
        }
        return output
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

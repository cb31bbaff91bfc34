// Glob patterns for `--ignore`, matched against `/`-separated paths relative to a
// watched folder.
//
// `*` matches within one segment, `**` across segments, `?` one character and
// `[abc]`/`[a-z]`/`[!x]` one of a set. A pattern without a `/` matches any single
// segment (so `*.log` ignores logs at any depth and `tmp` ignores every folder
// named tmp), as in .gitignore; a pattern with a `/` matches from the root.

public struct GlobPattern: Sendable, Equatable {
    public let source: String
    private let tokens: [Token]
    private let anchored: Bool

    enum Token: Sendable, Equatable {
        case literal(Character)
        case any            // ?
        case star           // *
        case globstar       // **
        case set([ClosedRange<Character>], negated: Bool)
    }

    public init(_ source: String) {
        self.source = source
        var text = source
        if text.hasPrefix("./") { text.removeFirst(2) }
        if text.hasSuffix("/") { text.removeLast() }
        anchored = text.contains("/")
        if text.hasPrefix("/") { text.removeFirst() }
        tokens = GlobPattern.tokenize(text)
    }

    /// True when `path` (relative, `/`-separated, no leading `/`) or any folder above it matches.
    public func matches(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if anchored {
            // Match the path itself or any folder above it, so `build/out` ignores what is inside.
            var prefix = ""
            for segment in segments {
                prefix = prefix.isEmpty ? segment : prefix + "/" + segment
                if GlobPattern.match(tokens[...], Array(prefix)[...]) { return true }
            }
            return false
        }
        return segments.contains { GlobPattern.match(tokens[...], Array($0)[...]) }
    }

    private static func tokenize(_ text: String) -> [Token] {
        var out: [Token] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "*":
                if i + 1 < chars.count && chars[i + 1] == "*" {
                    out.append(.globstar)
                    i += 2
                    // `**/` also matches zero folders.
                    if i < chars.count && chars[i] == "/" { i += 1 }
                    continue
                }
                out.append(.star)
            case "?":
                out.append(.any)
            case "[":
                if let (set, next) = parseSet(chars, from: i + 1) {
                    out.append(set)
                    i = next
                    continue
                }
                out.append(.literal("["))
            case "\\" where i + 1 < chars.count:
                i += 1
                out.append(.literal(chars[i]))
            default:
                out.append(.literal(c))
            }
            i += 1
        }
        return out
    }

    private static func parseSet(_ chars: [Character], from start: Int) -> (Token, Int)? {
        var i = start
        var negated = false
        if i < chars.count && (chars[i] == "!" || chars[i] == "^") { negated = true; i += 1 }
        var ranges: [ClosedRange<Character>] = []
        var first = true
        while i < chars.count {
            let c = chars[i]
            if c == "]" && !first { return (.set(ranges, negated: negated), i + 1) }
            first = false
            if i + 2 < chars.count && chars[i + 1] == "-" && chars[i + 2] != "]" && c <= chars[i + 2] {
                ranges.append(c...chars[i + 2])
                i += 3
            } else {
                ranges.append(c...c)
                i += 1
            }
        }
        return nil
    }

    private static func match(_ p: ArraySlice<Token>, _ s: ArraySlice<Character>) -> Bool {
        guard let token = p.first else { return s.isEmpty }
        let rest = p.dropFirst()
        switch token {
        case .literal(let c):
            return s.first == c && match(rest, s.dropFirst())
        case .any:
            guard let c = s.first, c != "/" else { return false }
            return match(rest, s.dropFirst())
        case .set(let ranges, let negated):
            guard let c = s.first, c != "/" else { return false }
            guard ranges.contains(where: { $0.contains(c) }) != negated else { return false }
            return match(rest, s.dropFirst())
        case .star:
            var tail = s
            while true {
                if match(rest, tail) { return true }
                guard let c = tail.first, c != "/" else { return false }
                tail = tail.dropFirst()
            }
        case .globstar:
            var tail = s
            while true {
                if match(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
    }
}

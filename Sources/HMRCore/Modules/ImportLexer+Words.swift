// The words the lexer cares about, and what the previous token says about the next
// `/` (division or regex?) and `{` (block or object literal?). A word's first 16 bytes
// are packed into two integers as they arrive, so a keyword is found without building
// a string, and a word cut between two chunks needs no buffer.

extension ImportLexer {
    /// Each raw value is the keyword's bytes, little-endian; only `instanceof`
    /// is longer than 8 bytes, its last two are checked apart.
    enum Keyword: UInt64 {
        case `import` = 0x0000_7472_6F70_6D69
        case `export` = 0x0000_7472_6F70_7865
        case from = 0x0000_0000_6D6F_7266
        case `as` = 0x0000_0000_0000_7361
        case meta = 0x0000_0000_6174_656D
        case hot = 0x0000_0000_0074_6F68
        case assert = 0x0000_7472_6573_7361
        case with = 0x0000_0000_6874_6977
        case `if` = 0x0000_0000_0000_6669
        case `while` = 0x0000_0065_6C69_6877
        case `for` = 0x0000_0000_0072_6F66
        case `else` = 0x0000_0000_6573_6C65
        case `do` = 0x0000_0000_0000_6F64
        case `try` = 0x0000_0000_0079_7274
        case finally = 0x0079_6C6C_616E_6966
        case `catch` = 0x0000_0068_6374_6163
        case `return` = 0x0000_6E72_7574_6572
        case typeof = 0x0000_666F_6570_7974
        case instanceof = 0x6563_6E61_7473_6E69
        case `in` = 0x0000_0000_0000_6E69
        case new = 0x0000_0000_0077_656E
        case delete = 0x0000_6574_656C_6564
        case void = 0x0000_0000_6469_6F76
        case `throw` = 0x0000_0077_6F72_6874
        case yield = 0x0000_0064_6C65_6979
        case await = 0x0000_0074_6961_7761
        case `case` = 0x0000_0000_6573_6163
        case debugger = 0x7265_6767_7562_6564
        case `break` = 0x0000_006B_6165_7262
        case `continue` = 0x6575_6E69_746E_6F63
        case `default` = 0x0074_6C75_6166_6564

        static let instanceofTail: UInt64 = 0x666F

        init?(low: UInt64, high: UInt64) {
            guard let word = Keyword(rawValue: low),
                  high == (word == .instanceof ? Keyword.instanceofTail : 0) else { return nil }
            self = word
        }
    }

    /// The last token before the current byte, as far as `/`, `{` and `)` care
    /// (comments are not tokens). A word is `value` unless it is a keyword here.
    ///
    /// What these rules misjudge, all rare in build output:
    /// - a block after `case x:` or a label (`:` is taken to start an object), so a
    ///   regex at the start of the next statement is read as division;
    /// - a block right after `return` and a line break (ASI), read as an object;
    /// - a function or class expression's `}` followed by division, read as a regex;
    /// - `for (x of /re/)`, `break label\n/re/` (`of` and labels are plain words);
    /// - U+2028/U+2029 ending a `//` comment (only LF and CR end one here).
    /// A regex read as code, or code as a regex, is usually caught by the raw line
    /// break or unmatched closer it then meets: the lexer stops there and keeps what it
    /// found before. Otherwise it can miss an import; to report a false one, the
    /// misread text would have to spell out a whole import itself.
    enum PreviousToken: UInt8, Sendable {
        case nothing
        /// Identifier, number, string, template, regex, `]`, `++`, `--`.
        case value
        /// Any other punctuator, including `(`, `[`, `,`, `:`, `${` and an object's `{`.
        case `operator`
        /// `.`, `?.` or `#`: the next word is a property or private name, never a keyword.
        case dot
        case arrow, semicolon
        case closeParen
        /// The `)` of `if (…)`, `while (…)`, `for (…)`: a statement follows.
        case closeCondition
        case openBlock, closeBlock, closeObject
        /// `return`, `typeof`, `in`, `new`, `await`, `default`, …: an expression follows.
        case expressionKeyword
        /// `else`, `do`, `try`, `finally`, `catch`, `with`: a block or statement follows.
        case blockKeyword
        case conditionKeyword
        /// `assert` (import attributes): division after it, a block brace too.
        case attributesKeyword

        /// es-module-lexer's rule: after a value, `)` or an object literal's `}` it
        /// is division; after operators, keywords, blocks and at the start, a regex.
        var slashStartsRegex: Bool {
            switch self {
            case .value, .closeParen, .closeObject, .attributesKeyword: return false
            default: return true
            }
        }

        /// A `{` can start an object literal only where an expression is expected,
        /// that is after an operator or an expression keyword. Everywhere else in
        /// valid JS it is a block, a function or class body, or attributes: after a
        /// value only ASI, `class … extends X {` or `with {` can put one there.
        var braceOpensBlock: Bool {
            switch self {
            case .operator, .dot, .expressionKeyword, .conditionKeyword: return false
            default: return true
            }
        }
    }

    /// What a word leaves as the previous token.
    static func previousToken(after keyword: Keyword?, property: Bool) -> PreviousToken {
        guard let keyword, !property else { return .value }
        switch keyword {
        case .return, .typeof, .instanceof, .in, .new, .delete, .void, .throw, .yield, .await, .case,
             .debugger, .break, .continue, .default:
            // `export default /re/`, `export default {…}`; after `default:` comes `:` first.
            return .expressionKeyword
        case .else, .do, .try, .finally, .catch, .with: return .blockKeyword
        case .if, .while, .for: return .conditionKeyword
        case .assert: return .attributesKeyword
        case .import, .export, .from, .as, .meta, .hot: return .value
        }
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"), UInt8(ascii: "\\"):
            return true
        default:
            return false
        }
    }

    mutating func beginWord(number: Bool) {
        wordLow = 0
        wordHigh = 0
        wordLength = 0
        wordIsNumber = number
        wordIsPlain = number
    }

    @inline(__always)
    mutating func addWordByte(_ byte: UInt8) {
        if wordLength < 8 {
            wordLow |= UInt64(byte) << (8 * UInt64(wordLength))
        } else if wordLength < 16 {
            wordHigh |= UInt64(byte) << (8 * UInt64(wordLength - 8))
        } else {
            wordIsPlain = true
        }
        wordLength += 1
    }

    /// The word ended at the byte before the current one.
    mutating func endWord() {
        mode = .code
        if wordIsNumber {
            previous = .value
            read(.other)
            return
        }
        // Keywords are 2 to 10 bytes; minified code is mostly one-letter names.
        let keyword = wordIsPlain || wordLength < 2 || wordLength > 10 ? nil : Keyword(low: wordLow, high: wordHigh)
        let property = previous == .dot
        previous = Self.previousToken(after: keyword, property: property)
        read(.word(keyword, property: property))
    }
}

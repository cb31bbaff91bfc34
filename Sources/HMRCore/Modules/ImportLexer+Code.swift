// Code between literals: words, punctuators and the nesting of (), [], {} and `${}`.
// The nesting is what lets a `}` end a template substitution, a `)` tell `if (x) /re/`
// from `f(x) / 2`, and a `}` tell a block (a regex may follow) from an object literal
// (division follows). A closer that does not match its opener means the lexer misjudged
// something earlier (or the input is not JS), so it stops rather than guess on.

extension ImportLexer {
    enum Nesting: UInt8 {
        case paren, conditionParen, bracket, block, object, template
    }

    mutating func scanCode(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
                i += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                beginWord(number: true)
                mode = .word
                return i
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                openString(byte, at: consumed + i)
                return i + 1
            case UInt8(ascii: "`"):
                read(.other)
                mode = .template
                return i + 1
            case UInt8(ascii: "/"):
                mode = .slash
                return i + 1
            case 0x80...:
                beginMultibyte(byte, inWord: false)
                return i + 1
            default:
                if Self.isWordByte(byte) {
                    beginWord(number: false)
                    mode = .word
                    return i
                }
                punctuator(byte, at: consumed + i)
                i += 1
                if mode != .code { return i }
            }
        }
        return i
    }

    mutating func scanWord(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            // A number takes its dots (`1.5`, `1.`), so a `/` after it is division.
            if Self.isWordByte(byte) || (wordIsNumber && byte == UInt8(ascii: ".")) {
                addWordByte(byte)
                i += 1
            } else if byte >= 0x80 {
                beginMultibyte(byte, inWord: true)
                return i + 1
            } else {
                endWord()
                return i
            }
        }
        return i
    }

    /// A byte of 0x80 or more in code. Non-ASCII whitespace (NBSP, the BOM, U+2028…)
    /// separates tokens; any other character is part of an identifier.
    mutating func beginMultibyte(_ lead: UInt8, inWord: Bool) {
        multibyteInWord = inWord
        switch lead {
        case 0xC0...0xDF: multibyteValue = UInt32(lead & 0x1F); multibyteNeeded = 1
        case 0xE0...0xEF: multibyteValue = UInt32(lead & 0x0F); multibyteNeeded = 2
        case 0xF0...0xF7: multibyteValue = UInt32(lead & 0x07); multibyteNeeded = 3
        default:
            // A stray continuation byte or an invalid lead: a letter as far as we care.
            multibyteNeeded = 0
            endMultibyte(whitespace: false)
            return
        }
        mode = .multibyte
    }

    mutating func scanMultibyte(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        while i < bytes.count && multibyteNeeded > 0 {
            let byte = bytes[i]
            guard byte & 0xC0 == 0x80 else {
                // Cut short: treat what we have as a letter and read this byte afresh.
                endMultibyte(whitespace: false)
                return i
            }
            multibyteValue = multibyteValue << 6 | UInt32(byte & 0x3F)
            multibyteNeeded -= 1
            i += 1
        }
        if multibyteNeeded == 0 { endMultibyte(whitespace: Self.isWhitespace(multibyteValue)) }
        return i
    }

    mutating func endMultibyte(whitespace: Bool) {
        if whitespace {
            if multibyteInWord { endWord() }
            mode = .code
            return
        }
        if !multibyteInWord { beginWord(number: false) }
        wordIsPlain = true
        mode = .word
    }

    static func isWhitespace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: return true
        default: return false
        }
    }

    /// The byte after a `/` decides: a comment, or else a regex or division by the previous token.
    mutating func scanSlash(_ bytes: UnsafeRawBufferPointer, from i: Int) -> Int {
        switch bytes[i] {
        case UInt8(ascii: "/"): mode = .lineComment; return i + 1
        case UInt8(ascii: "*"): mode = .blockComment; return i + 1
        default:
            if previous.slashStartsRegex {
                read(.other)
                mode = .regex
            } else {
                mode = .code
                punctuator(UInt8(ascii: "/"), at: consumed + i - 1)
            }
            return i
        }
    }

    mutating func punctuator(_ byte: UInt8, at offset: Int) {
        let joined = offset == lastPunctuatorEnd ? lastPunctuator : 0
        lastPunctuator = byte
        lastPunctuatorEnd = offset + 1
        switch byte {
        case UInt8(ascii: "("):
            guard open(previous == .conditionKeyword ? .conditionParen : .paren) else { return }
            previous = .operator
        case UInt8(ascii: ")"):
            switch close() {
            case .paren: previous = .closeParen
            case .conditionParen: previous = .closeCondition
            default: return giveUp()
            }
        case UInt8(ascii: "["):
            guard open(.bracket) else { return }
            previous = .operator
        case UInt8(ascii: "]"):
            guard close() == .bracket else { return giveUp() }
            previous = .value
        case UInt8(ascii: "{"):
            let block = previous.braceOpensBlock
            guard open(block ? .block : .object) else { return }
            previous = block ? .openBlock : .operator
        case UInt8(ascii: "}"):
            switch close() {
            case .block: previous = .closeBlock
            case .object: previous = .closeObject
            case .template: mode = .template
            default: return giveUp()
            }
        case UInt8(ascii: ";"): previous = .semicolon
        case UInt8(ascii: "."): previous = joined == UInt8(ascii: ".") ? .operator : .dot
        case UInt8(ascii: "#"):
            // Only a hashbang line can start a file with `#`; elsewhere it begins a private name.
            if previous == .nothing { mode = .lineComment; return }
            previous = .dot
        case UInt8(ascii: ">"): previous = joined == UInt8(ascii: "=") ? .arrow : .operator
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            if joined == byte {
                // `x++ / 2`: an increment ends a value. A third `+` starts afresh.
                previous = .value
                lastPunctuator = 0
            } else {
                previous = .operator
            }
        default: previous = .operator
        }
        read(.punctuator(byte))
    }

    /// False (and the lexer stopped) when the nesting is over the limit.
    mutating func open(_ kind: Nesting) -> Bool {
        guard nesting.count < Self.nestingLimit else {
            giveUp()
            return false
        }
        nesting.append(kind.rawValue)
        return true
    }

    /// The innermost opener, now closed; nil when nothing was open.
    mutating func close() -> Nesting? {
        nesting.popLast().flatMap(Nesting.init(rawValue:))
    }
}

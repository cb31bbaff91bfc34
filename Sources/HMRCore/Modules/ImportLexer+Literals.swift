// Skipping what is not code: comments, string literals, template text and regular
// expression literals. Each scanner runs over the chunk until the byte that matters
// (a quote, a backslash, `${`, a line break) and keeps only a mode between chunks.
// A raw line break in a string or regex cannot happen in valid JS: it means a regex
// was taken for division (or the reverse) earlier, so the lexer stops there.

extension ImportLexer {
    mutating func openString(_ quote: UInt8, at offset: Int) {
        self.quote = quote
        stringStart = offset + 1
        collecting = wantsSpecifier
        stringClean = true
        if collecting { stringBytes.removeAll(keepingCapacity: true) }
        mode = .string
    }

    mutating func scanString(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        let count = bytes.count
        while i < count {
            switch mode {
            case .string:
                var end = i
                while end < count {
                    let byte = bytes[end]
                    if byte == quote || byte == 0x5C || byte == 0x0A || byte == 0x0D { break }
                    end += 1
                }
                if collecting && stringClean { keep(UnsafeRawBufferPointer(rebasing: bytes[i..<end])) }
                guard end < count else { return count }
                switch bytes[end] {
                case quote:
                    closeString(at: consumed + end)
                    return end + 1
                case 0x5C:
                    // An escape: fine in JS, but never a specifier we would rewrite.
                    stringClean = false
                    mode = .stringEscape
                    i = end + 1
                default:
                    giveUp()
                    return count
                }
            case .stringEscape:
                // `\` CR LF is one line continuation; the LF must not end the string.
                mode = bytes[i] == 0x0D ? .stringEscapeCR : .string
                i += 1
            case .stringEscapeCR:
                mode = .string
                if bytes[i] == 0x0A { i += 1 }
            default:
                return i
            }
        }
        return i
    }

    private mutating func keep(_ run: UnsafeRawBufferPointer) {
        guard stringBytes.count + run.count <= Self.specifierLimit else {
            stringClean = false
            return
        }
        stringBytes.append(contentsOf: run)
    }

    private mutating func closeString(at offset: Int) {
        mode = .code
        previous = .value
        stringEnd = offset
        stringText = collecting && stringClean ? Self.specifierText(stringBytes) : nil
        read(.string)
        stringText = nil
    }

    /// The literal's bytes as a string, or nil when they are not valid UTF-8 or hold
    /// a JS line terminator (U+2028, U+2029): not safe to rewrite.
    static func specifierText(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        // Decoding repairs invalid UTF-8 with U+FFFD, so a repaired text differs from its bytes.
        guard text.utf8.elementsEqual(bytes) else { return nil }
        guard !text.unicodeScalars.contains(where: { $0.value == 0x2028 || $0.value == 0x2029 }) else { return nil }
        return text
    }

    mutating func scanTemplate(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        let count = bytes.count
        while i < count {
            switch mode {
            case .template:
                var end = i
                while end < count {
                    let byte = bytes[end]
                    if byte == 0x60 || byte == 0x5C || byte == 0x24 { break }
                    end += 1
                }
                guard end < count else { return count }
                switch bytes[end] {
                case 0x60:
                    mode = .code
                    previous = .value
                    return end + 1
                case 0x5C: mode = .templateEscape
                default: mode = .templateDollar
                }
                i = end + 1
            case .templateEscape:
                mode = .template
                i += 1
            case .templateDollar:
                guard bytes[i] == UInt8(ascii: "{") else {
                    mode = .template
                    continue
                }
                guard open(.template) else { return count }
                mode = .code
                previous = .operator
                return i + 1
            default:
                return i
            }
        }
        return i
    }

    mutating func scanComment(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            switch mode {
            case .lineComment:
                // The line break itself is left to the code scanner, as whitespace.
                if byte == 0x0A || byte == 0x0D {
                    mode = .code
                    return i
                }
            case .blockComment:
                if byte == UInt8(ascii: "*") { mode = .blockCommentStar }
            case .blockCommentStar:
                if byte == UInt8(ascii: "/") {
                    mode = .code
                    return i + 1
                }
                if byte != UInt8(ascii: "*") { mode = .blockComment }
            default:
                return i
            }
            i += 1
        }
        return i
    }

    mutating func scanRegex(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            if byte == 0x0A || byte == 0x0D {
                giveUp()
                return count
            }
            switch mode {
            case .regex:
                switch byte {
                case UInt8(ascii: "/"):
                    // Its flags are read next as a word, a value like the regex itself.
                    mode = .code
                    previous = .value
                    return i + 1
                case 0x5C: mode = .regexEscape
                case UInt8(ascii: "["): mode = .regexClass
                default: break
                }
            case .regexEscape: mode = .regex
            case .regexClass:
                if byte == UInt8(ascii: "]") { mode = .regex } else if byte == 0x5C { mode = .regexClassEscape }
            case .regexClassEscape: mode = .regexClass
            default: return i
            }
            i += 1
        }
        return i
    }
}

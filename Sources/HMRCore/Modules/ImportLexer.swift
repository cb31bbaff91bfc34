// ImportLexer: finds the import specifiers of one ES module (build output, plain JS)
// in one pass over its bytes, fed in chunks of any size, without parsing or running it.
// This file keeps the state carried between feeds and hands each byte to the scanner
// of the current mode; +Code (tokens and nesting), +Literals (comments, strings,
// templates, regexes), +Statements (import/export shapes) and +Words do the rest.

/// Feed it a file's bytes in any pieces, then `finish()`: the result is the same for
/// every split, state between feeds is bounded (a word's first 16 bytes, at most
/// `specifierLimit` bytes of a string, `nestingLimit` openers), and time is linear.
/// When it loses track (see `PreviousToken`) it misses imports rather than invent one.
public struct ImportLexer: Sendable {
    /// Deeper nesting of (), [], {} and `${}` than this stops the lexer: past it,
    /// it could no longer tell code from template text, so it reports nothing more.
    static let nestingLimit = 1024
    /// A longer string literal is never taken as a specifier (no module path is this long).
    static let specifierLimit = 4096

    /// What the bytes being read belong to. Escapes and `${`, `*/` are separate
    /// modes so that a chunk may end between the two bytes.
    enum Mode: UInt8, Sendable {
        case code, word, multibyte, slash
        case lineComment, blockComment, blockCommentStar
        case string, stringEscape, stringEscapeCR
        case template, templateEscape, templateDollar
        case regex, regexEscape, regexClass, regexClassEscape
        /// Lost track of the structure (or too deep): the rest of the input is ignored.
        case stopped
    }

    var mode = Mode.code
    /// Bytes fed before the current chunk: chunk index + consumed = offset in the file.
    var consumed = 0

    // Tokens (+Code).
    var previous = PreviousToken.nothing
    /// The last punctuator byte and the offset just after it, to join `=>`, `++`, `--`, `...`.
    var lastPunctuator: UInt8 = 0
    var lastPunctuatorEnd = -1
    /// One `Nesting` raw value per open (, [, {, `${`.
    var nesting: [UInt8] = []

    // The identifier or number being read (+Words): its first 16 bytes, packed.
    var wordLow: UInt64 = 0
    var wordHigh: UInt64 = 0
    var wordLength = 0
    /// A number, a word with non-ASCII letters or one too long to be a keyword.
    var wordIsPlain = false
    var wordIsNumber = false

    // A multi-byte UTF-8 character in code: only whitespace ones end a word.
    var multibyteValue: UInt32 = 0
    var multibyteNeeded = 0
    var multibyteInWord = false

    // The string literal being read (+Literals).
    var quote: UInt8 = 0
    /// The text's offsets: after the opening quote, at the closing one.
    var stringStart = 0
    var stringEnd = 0
    /// Set only while the closed string is read as a token, and only if it was kept and clean.
    var stringText: String?
    /// Keeping its bytes: the statement reader could take it as a specifier.
    var collecting = false
    /// No escape and not over `specifierLimit`.
    var stringClean = true
    var stringBytes: [UInt8] = []

    // Import statements (+Statements).
    var statement = Statement.idle
    var pendingDynamic: ModuleImport?
    var imports: [ModuleImport] = []
    var mentionsHot = false
    /// True once the lexer stopped early (mismatched nesting, a line break in a
    /// string or regex, nesting over the limit); what it found before stands.
    private(set) var gaveUp = false

    public init() {}

    /// Feeds the next bytes of the file; may be called any number of times with any split.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        var i = 0
        let count = bytes.count
        while i < count {
            switch mode {
            case .code: i = scanCode(bytes, from: i)
            case .word: i = scanWord(bytes, from: i)
            case .multibyte: i = scanMultibyte(bytes, from: i)
            case .slash: i = scanSlash(bytes, from: i)
            case .lineComment, .blockComment, .blockCommentStar: i = scanComment(bytes, from: i)
            case .string, .stringEscape, .stringEscapeCR: i = scanString(bytes, from: i)
            case .template, .templateEscape, .templateDollar: i = scanTemplate(bytes, from: i)
            case .regex, .regexEscape, .regexClass, .regexClassEscape: i = scanRegex(bytes, from: i)
            case .stopped: i = count
            }
        }
        consumed += count
    }

    public mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Ends the input and returns what was found; the lexer is then ready for another file.
    public mutating func finish() -> ModuleScan {
        // A token cut by the end of input still counts (`… import.meta.hot` with no newline).
        switch mode {
        case .word: endWord()
        case .multibyte: endMultibyte(whitespace: false); endWord()
        case .slash: punctuator(UInt8(ascii: "/"), at: consumed - 1)
        default: break
        }
        let scan = ModuleScan(imports: imports, mentionsHot: mentionsHot)
        self = ImportLexer()
        return scan
    }

    /// Whole-file convenience.
    public static func scan(_ bytes: [UInt8]) -> ModuleScan {
        var lexer = ImportLexer()
        lexer.feed(bytes)
        return lexer.finish()
    }

    /// Stops for good: the structure seen no longer makes sense, so whatever looked
    /// like an import from here on could be text; better to miss it than misreport.
    mutating func giveUp() {
        mode = .stopped
        gaveUp = true
        statement = .idle
        pendingDynamic = nil
    }
}

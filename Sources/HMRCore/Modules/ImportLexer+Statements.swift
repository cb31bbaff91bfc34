// Reading import and export statements from the tokens of code: `import … from "s"`,
// `import "s"`, `export {…} from "s"`, `export * (as n) from "s"`, `import("s")` and
// `import.meta.hot`. Any token that does not fit the shape ends it and is read afresh,
// so an import that is not what it seems is missed, never misreported. Only the
// statement forms require the top level; `import(` and `import.meta` may appear anywhere.

extension ImportLexer {
    /// A token of code as the statement reader sees it. Comments are not tokens. A
    /// string's place and text are in `stringStart`, `stringEnd` and `stringText`, so
    /// that a token is plain bits to copy.
    enum Token {
        case word(Keyword?, property: Bool)
        case punctuator(UInt8)
        case string
        /// A number, a template literal or a regex.
        case other
    }

    enum Statement: Equatable, Sendable {
        case idle
        case afterImport(topLevel: Bool)
        /// `import x` or `import defer` / `import source x`: more bindings or `from` follow.
        case importBinding
        case importComma
        /// Inside `{ … }` of an import or export clause.
        case names(ModuleImport.Kind)
        case star(ModuleImport.Kind)
        case starAs(ModuleImport.Kind)
        case expectFrom(ModuleImport.Kind)
        case expectSpecifier(ModuleImport.Kind)
        case afterExport
        /// `import(`; then `import("s"`, whose import is `pendingDynamic` until `)` or `,`.
        case dynamicOpen
        case dynamicString
        /// `import.`, `import.meta`, `import.meta?`, `import.meta.`
        case metaDot, meta, metaQuestion, metaDotAgain
    }

    /// The next string literal could be a specifier, so its bytes are kept.
    var wantsSpecifier: Bool {
        switch statement {
        case .afterImport(topLevel: true), .expectSpecifier, .dynamicOpen: return true
        default: return false
        }
    }

    mutating func read(_ token: Token) {
        guard !gaveUp else { return }
        if case .idle = statement {
            // Most tokens: no statement under way, and only `import` or `export` starts one.
            startStatement(token)
            return
        }
        let current = statement
        statement = .idle
        if continueStatement(current, with: token) { return }
        pendingDynamic = nil
        statement = .idle
        startStatement(token)
    }

    private mutating func startStatement(_ token: Token) {
        if case .word(let keyword?, property: false) = token {
            if keyword == .import {
                statement = .afterImport(topLevel: nesting.isEmpty)
            } else if keyword == .export && nesting.isEmpty {
                statement = .afterExport
            }
        }
    }

    /// True when the token fits the statement (which it has then advanced).
    private mutating func continueStatement(_ current: Statement, with token: Token) -> Bool {
        switch (current, token) {
        case (.afterImport, .punctuator(UInt8(ascii: "("))): statement = .dynamicOpen
        case (.afterImport, .punctuator(UInt8(ascii: "."))): statement = .metaDot
        case (.afterImport(topLevel: true), .string): report(.staticImport)
        case (.afterImport(topLevel: true), .punctuator(UInt8(ascii: "{"))): statement = .names(.staticImport)
        case (.afterImport(topLevel: true), .punctuator(UInt8(ascii: "*"))): statement = .star(.staticImport)
        case (.afterImport(topLevel: true), .word): statement = .importBinding

        case (.importBinding, .word(.from, _)): statement = .expectSpecifier(.staticImport)
        case (.importBinding, .word): statement = .importBinding
        case (.importBinding, .punctuator(UInt8(ascii: ","))): statement = .importComma
        case (.importBinding, .punctuator(UInt8(ascii: "*"))): statement = .star(.staticImport)
        case (.importComma, .punctuator(UInt8(ascii: "{"))): statement = .names(.staticImport)
        case (.importComma, .punctuator(UInt8(ascii: "*"))): statement = .star(.staticImport)

        case (.afterExport, .punctuator(UInt8(ascii: "{"))): statement = .names(.exportFrom)
        case (.afterExport, .punctuator(UInt8(ascii: "*"))): statement = .star(.exportFrom)

        case (.names(let kind), .word), (.names(let kind), .string), (.names(let kind), .punctuator(UInt8(ascii: ","))):
            statement = .names(kind)
        case (.names(let kind), .punctuator(UInt8(ascii: "}"))): statement = .expectFrom(kind)
        case (.star(let kind), .word(.as, _)): statement = .starAs(kind)
        case (.star(let kind), .word(.from, _)): statement = .expectSpecifier(kind)
        case (.starAs(let kind), .word), (.starAs(let kind), .string): statement = .expectFrom(kind)
        case (.expectFrom(let kind), .word(.from, _)): statement = .expectSpecifier(kind)
        case (.expectSpecifier(let kind), .string): report(kind)

        case (.dynamicOpen, .string):
            guard let text = stringText else { return true }
            pendingDynamic = ModuleImport(kind: .dynamicImport, specifier: text, start: stringStart, end: stringEnd)
            statement = .dynamicString
        case (.dynamicString, .punctuator(UInt8(ascii: ")"))), (.dynamicString, .punctuator(UInt8(ascii: ","))):
            if let found = pendingDynamic { imports.append(found) }
            pendingDynamic = nil

        case (.metaDot, .word(.meta, _)): statement = .meta
        case (.meta, .punctuator(UInt8(ascii: "."))), (.metaQuestion, .punctuator(UInt8(ascii: "."))):
            statement = .metaDotAgain
        case (.meta, .punctuator(UInt8(ascii: "?"))): statement = .metaQuestion
        case (.metaDotAgain, .word(.hot, _)): mentionsHot = true
        default: return false
        }
        return true
    }

    /// The string just read, unless it is not a clean specifier.
    private mutating func report(_ kind: ModuleImport.Kind) {
        guard let text = stringText else { return }
        imports.append(ModuleImport(kind: kind, specifier: text, start: stringStart, end: stringEnd))
    }
}

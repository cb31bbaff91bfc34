// What the import lexer (ImportLexer) finds in one ES module's bytes: each import
// specifier written as a string literal, where its text lies, and whether the module
// mentions `import.meta.hot`. The import graph (ModuleGraph) and the rewriter that
// versions a served module's imports (ImportRewriter) start from this.

public struct ModuleImport: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// `import x from "s"`, `import "s"`, `import {a} from "s"`, `import * as n from "s"`.
        case staticImport
        /// `export {a} from "s"`, `export * from "s"`, `export * as n from "s"`.
        case exportFrom
        /// `import("s")` with a plain string literal as its only argument (no template, no concatenation).
        case dynamicImport
    }

    public var kind: Kind
    /// The literal's text between its quotes, exactly as written (escapes not decoded).
    public var specifier: String
    /// Byte offset of the first byte after the opening quote.
    public var start: Int
    /// Byte offset of the closing quote (so `start..<end` is the text; empty when start == end).
    public var end: Int

    public init(kind: Kind, specifier: String, start: Int, end: Int) {
        self.kind = kind
        self.specifier = specifier
        self.start = start
        self.end = end
    }
}

public struct ModuleScan: Equatable, Sendable {
    /// In the order they appear in the source.
    public var imports: [ModuleImport]
    /// `import.meta.hot` appears in code (not in a comment or string): the module gets the hot prologue.
    public var mentionsHot: Bool

    public init(imports: [ModuleImport] = [], mentionsHot: Bool = false) {
        self.imports = imports
        self.mentionsHot = mentionsHot
    }
}

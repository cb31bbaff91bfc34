// ImportLexer against a table of JS snippets (what each must find, byte for byte),
// the same table fed split at every position, real tsc and esbuild output, and the
// limits: escapes, invalid UTF-8, long specifiers, deep nesting, giving up.

import XCTest
@testable import HMRCore

final class ImportLexerTests: XCTestCase {
    struct Case {
        let name: String
        let source: String
        let imports: [ModuleImport]
        let hot: Bool

        init(_ name: String, _ source: String, _ imports: [ModuleImport], hot: Bool = false) {
            self.name = name
            self.source = source
            self.imports = imports
            self.hot = hot
        }

        var bytes: [UInt8] { Array(source.utf8) }
        var scan: ModuleScan { ModuleScan(imports: imports, mentionsHot: hot) }
    }

    // Offsets are bytes: `é`, `ü` and the BOM count 2, 2 and 3.
    static let cases: [Case] = [
        // Static imports: every clause shape, any spacing, attributes after the specifier.
        Case("a default import", #"import x from "a";"#,
             [.init(kind: .staticImport, specifier: "a", start: 15, end: 16)]),
        Case("named imports with single quotes", #"import {a as b, c} from 'b';"#,
             [.init(kind: .staticImport, specifier: "b", start: 25, end: 26)]),
        Case("a namespace import", #"import * as n from "c";"#,
             [.init(kind: .staticImport, specifier: "c", start: 20, end: 21)]),
        Case("a side-effect import", #"import "d";"#,
             [.init(kind: .staticImport, specifier: "d", start: 8, end: 9)]),
        Case("a default and named import", #"import x, {y} from "e";"#,
             [.init(kind: .staticImport, specifier: "e", start: 20, end: 21)]),
        Case("a default and namespace import", #"import x, * as y from "f";"#,
             [.init(kind: .staticImport, specifier: "f", start: 23, end: 24)]),
        Case("comments and line breaks between the tokens", #"import/*a*/x//b\#n from\#n\#t/* "no" */"g""#,
             [.init(kind: .staticImport, specifier: "g", start: 34, end: 35)]),
        Case("imports with no spaces", #"import{a}from"h";import"i";import*as j from"k";export*from"l";export{m}from"n""#,
             [
              .init(kind: .staticImport, specifier: "h", start: 14, end: 15),
              .init(kind: .staticImport, specifier: "i", start: 24, end: 25),
              .init(kind: .staticImport, specifier: "k", start: 44, end: 45),
              .init(kind: .exportFrom, specifier: "l", start: 59, end: 60),
              .init(kind: .exportFrom, specifier: "n", start: 76, end: 77)]),
        Case("import attributes after the specifier", #"import d from "./d.json" with { type: "json" };\#nimport e from "./e.json" assert {type: 'json'};\#n/"/.test(d); import("./f.js")"#,
             [
              .init(kind: .staticImport, specifier: "./d.json", start: 15, end: 23),
              .init(kind: .staticImport, specifier: "./e.json", start: 63, end: 71),
              .init(kind: .dynamicImport, specifier: "./f.js", start: 117, end: 123)]),
        Case("string names inside the braces", #"import {"a-b" as c} from "o"; export {c as "d-e"} from "p""#,
             [
              .init(kind: .staticImport, specifier: "o", start: 26, end: 27),
              .init(kind: .exportFrom, specifier: "p", start: 56, end: 57)]),
        Case("a default import named from", #"import from from "q""#,
             [.init(kind: .staticImport, specifier: "q", start: 18, end: 19)]),
        Case("a phase keyword before the bindings", #"import defer * as ns from "r"; import source s from "s""#,
             [
              .init(kind: .staticImport, specifier: "r", start: 27, end: 28),
              .init(kind: .staticImport, specifier: "s", start: 53, end: 54)]),
        Case("an empty specifier", #"import """#,
             [.init(kind: .staticImport, specifier: "", start: 8, end: 8)]),
        Case("a non-ASCII specifier", #"import "./é/ü.js""#,
             [.init(kind: .staticImport, specifier: "./é/ü.js", start: 8, end: 18)]),
        Case("a specifier with an escape is skipped", #"import "a\u0062"; import "c""#,
             [.init(kind: .staticImport, specifier: "c", start: 26, end: 27)]),
        Case("an import statement inside a block is not one", #"if (x) { import "a" } import "b""#,
             [.init(kind: .staticImport, specifier: "b", start: 30, end: 31)]),
        Case("an export list without from is not an import", #"export {a}\#nimport "b""#,
             [.init(kind: .staticImport, specifier: "b", start: 19, end: 20)]),

        // Re-exports, and exports that are not.
        Case("named exports from a module", #"export {a, b as c} from "s";"#,
             [.init(kind: .exportFrom, specifier: "s", start: 25, end: 26)]),
        Case("a star export", #"export * from "t";"#,
             [.init(kind: .exportFrom, specifier: "t", start: 15, end: 16)]),
        Case("a namespace export", #"export * as ns from "u"; export * as "x-y" from "v""#,
             [
              .init(kind: .exportFrom, specifier: "u", start: 21, end: 22),
              .init(kind: .exportFrom, specifier: "v", start: 49, end: 50)]),
        Case("default and local exports", #"export const x = "s"; export default "t"; export {a}; export function f() { return "u" }"#,
             []),
        Case("a namespace export named from", #"export * as from from "w""#,
             [.init(kind: .exportFrom, specifier: "w", start: 23, end: 24)]),

        // import() with one plain string, and lookalikes.
        Case("dynamic imports with either quote", #"import("a"); import('b')"#,
             [
              .init(kind: .dynamicImport, specifier: "a", start: 8, end: 9),
              .init(kind: .dynamicImport, specifier: "b", start: 21, end: 22)]),
        Case("comments and spaces inside the parens", #"import ( /* "x" */ "c" // y\#n )"#,
             [.init(kind: .dynamicImport, specifier: "c", start: 20, end: 21)]),
        Case("a dynamic import with options", #"import("d", { with: { type: "json" } })"#,
             [.init(kind: .dynamicImport, specifier: "d", start: 8, end: 9)]),
        Case("dynamic imports inside expressions", #"await import("e"); [...import("f")]; f(() => import("g"))"#,
             [
              .init(kind: .dynamicImport, specifier: "e", start: 14, end: 15),
              .init(kind: .dynamicImport, specifier: "f", start: 31, end: 32),
              .init(kind: .dynamicImport, specifier: "g", start: 53, end: 54)]),
        Case("a dynamic import that is not a plain string", #"import(x); import("a" + b); import(`c`); import("d"\#n+ e); import('e'.trim())"#,
             []),
        Case("member calls named import", #"obj.import("x"); obj?.import("y"); obj . import("z"); x.import"#,
             []),
        Case("identifiers that start with import", #"importFoo("x"); $import("y"); _import("z"); import_("w")"#,
             []),
        Case("a property named import", #"x = {import: "x"}; y = { import : "y", export: "z" }; class A { static import = "w" }"#,
             []),
        Case("a method named import holding a dynamic import", #"class A { import(x) { return import("ok") } }"#,
             [.init(kind: .dynamicImport, specifier: "ok", start: 37, end: 39)]),
        Case("a dynamic import as an argument", #"load(import("h"), 1)"#,
             [.init(kind: .dynamicImport, specifier: "h", start: 13, end: 14)]),

        // import.meta.hot.
        Case("import.meta.hot", #"if (import.meta.hot) import.meta.hot.accept()"#,
             [], hot: true),
        Case("import.meta.hot with spaces and comments", #"import . meta /* x */ . hot"#,
             [], hot: true),
        Case("import.meta?.hot", #"import.meta?.hot?.accept()"#,
             [], hot: true),
        Case("import.meta.hot at the very end", #"x = import.meta.hot"#,
             [], hot: true),
        Case("import.meta alone", #"import.meta.url; import.meta.hotter; import.meta; hot"#,
             []),
        Case("import.meta.hot in strings and comments", #""import.meta.hot"; 'import.meta.hot'; // import.meta.hot\#n/* import.meta.hot */ `import.meta.hot`"#,
             []),
        Case("import.meta.hot as a property", #"x.import.meta.hot"#,
             []),
        Case("import.meta.hot inside a template substitution", #"`a${import.meta.hot}b`"#,
             [], hot: true),

        // Comments and strings hide imports.
        Case("imports inside comments", #"// import "a"\#n/* import "b" */ /** import("c") */ import "d""#,
             [.init(kind: .staticImport, specifier: "d", start: 58, end: 59)]),
        Case("imports inside strings", #""import 'a'"; 'import("b")'; "it\"s import(\"c\")"; import "d""#,
             [.init(kind: .staticImport, specifier: "d", start: 60, end: 61)]),
        Case("a line continuation inside a string", #""a\\#nimport('b')"; x = 'c\\#r\#nimport("d")'; import("e")"#,
             [.init(kind: .dynamicImport, specifier: "e", start: 49, end: 50)]),
        Case("an unterminated block comment", #"import "a" /* import "b""#,
             [.init(kind: .staticImport, specifier: "a", start: 8, end: 9)]),

        // Template literals, nested substitutions.
        Case("a template with a nested template and object", #"`a${ {b: `c${d}`}.b }e`; import("t")"#,
             [.init(kind: .dynamicImport, specifier: "t", start: 33, end: 34)]),
        Case("a dynamic import inside a substitution", #"`${import("u")}`"#,
             [.init(kind: .dynamicImport, specifier: "u", start: 11, end: 12)]),
        Case("braces in strings and comments inside a substitution", #"`x${"}"}y${ /* } */ 1 }z${'{'}`; import("v")"#,
             [.init(kind: .dynamicImport, specifier: "v", start: 41, end: 42)]),
        Case("dollar signs that do not open a substitution", #"`$`; `$$`; `\${import("no")}`; `a$ {b}`; import("w")"#,
             [.init(kind: .dynamicImport, specifier: "w", start: 49, end: 50)]),
        Case("import text inside a template", #"`import("x") ${y} import "z"`"#,
             []),

        // Regex or division, decided by the previous token.
        Case("a regex class holding a slash", #"/[/]/; import("r1")"#,
             [.init(kind: .dynamicImport, specifier: "r1", start: 15, end: 17)]),
        Case("an escaped slash in a regex", #"x = /\//g; import("r2")"#,
             [.init(kind: .dynamicImport, specifier: "r2", start: 19, end: 21)]),
        Case("division by a value", #"x = a / b / c; import("r3")"#,
             [.init(kind: .dynamicImport, specifier: "r3", start: 23, end: 25)]),
        Case("a regex holding quotes", #"x = /"/; y = /'/.test(s) ? import("r4") : 0"#,
             [.init(kind: .dynamicImport, specifier: "r4", start: 35, end: 37)]),
        Case("a regex after if parens", #"if (x) /import("no")/.test(y); import("r5")"#,
             [.init(kind: .dynamicImport, specifier: "r5", start: 39, end: 41)]),
        Case("division after call parens", #"y = f(x) / 2 / g(import("r6"))"#,
             [.init(kind: .dynamicImport, specifier: "r6", start: 25, end: 27)]),
        Case("a regex after return", #"function f() { return /import("no")/ } import("r7")"#,
             [.init(kind: .dynamicImport, specifier: "r7", start: 47, end: 49)]),
        Case("a regex after keywords", #"typeof /"/; void /"/; x = y instanceof /"/; switch (a) { case /"/: }; import("r8")"#,
             [.init(kind: .dynamicImport, specifier: "r8", start: 78, end: 80)]),
        Case("a slash after a value on the next line is division", #"x = y\#n/import("r9")/g"#,
             [.init(kind: .dynamicImport, specifier: "r9", start: 15, end: 17)]),
        Case("division after an increment", #"a++ / 2; b-- / import("r10")"#,
             [.init(kind: .dynamicImport, specifier: "r10", start: 23, end: 26)]),
        Case("division after a keyword used as a property", #"a = b.return / 2 / import("r11")"#,
             [.init(kind: .dynamicImport, specifier: "r11", start: 27, end: 30)]),
        Case("a regex after a block", #"function f() {}\#n/"/.test(s); import("r12")"#,
             [.init(kind: .dynamicImport, specifier: "r12", start: 37, end: 40)]),
        Case("division after an object literal", #"x = {a: 1} / 2 / import("r13")"#,
             [.init(kind: .dynamicImport, specifier: "r13", start: 25, end: 28)]),
        Case("a regex after an arrow body", #"x = () => {}\#n/"/.test(s); import("r14")"#,
             [.init(kind: .dynamicImport, specifier: "r14", start: 34, end: 37)]),
        Case("regexes in a conditional", #"x = a ? /"/ : /'/; import("r15")"#,
             [.init(kind: .dynamicImport, specifier: "r15", start: 27, end: 30)]),
        Case("division after a number with a dot", #"x = 1./2; y = 1.5e3 / 2 / import("r16")"#,
             [.init(kind: .dynamicImport, specifier: "r16", start: 34, end: 37)]),
        Case("division after a comment", #"x = y /* c */ / 2 / import("r17")"#,
             [.init(kind: .dynamicImport, specifier: "r17", start: 28, end: 31)]),
        Case("a regex after while parens", #"while (x) /"/.test(y); import("r18")"#,
             [.init(kind: .dynamicImport, specifier: "r18", start: 31, end: 34)]),
        Case("a regex class with quotes and brackets", #"x = /["'\]]/g; import("r19")"#,
             [.init(kind: .dynamicImport, specifier: "r19", start: 23, end: 26)]),
        Case("division after brackets and templates", #"x = [1] / 2; y = `t` / 3 / import("r20")"#,
             [.init(kind: .dynamicImport, specifier: "r20", start: 35, end: 38)]),
        Case("a regex after an arrow", #"f = () => /"/; import("r21")"#,
             [.init(kind: .dynamicImport, specifier: "r21", start: 23, end: 26)]),
        Case("a regex after a division", #"x = a / /"/.lastIndex; import("r22")"#,
             [.init(kind: .dynamicImport, specifier: "r22", start: 31, end: 34)]),
        Case("a regex at the start", #"/"/.test(s); import("r23")"#,
             [.init(kind: .dynamicImport, specifier: "r23", start: 21, end: 24)]),
        Case("a regex after else and do", #"if (a) {} else /"/.test(b); do /"/.test(c); while (d); import("r24")"#,
             [.init(kind: .dynamicImport, specifier: "r24", start: 63, end: 66)]),
        Case("a regex after export default", #"export default /"/; import("r25")"#,
             [.init(kind: .dynamicImport, specifier: "r25", start: 28, end: 31)]),
        Case("an object after export default", #"export default {a: 1}\#n/ 2 / import("r26")"#,
             [.init(kind: .dynamicImport, specifier: "r26", start: 36, end: 39)]),

        // Unicode, line endings and the start of a file.
        Case("CRLF line endings", #"import "a"\#r\#n// c\#r\#nimport("b")\#r\#n/* d\#r\#n */ import.meta.hot\#r\#n"#,
             [
              .init(kind: .staticImport, specifier: "a", start: 8, end: 9),
              .init(kind: .dynamicImport, specifier: "b", start: 26, end: 27)], hot: true),
        Case("a byte order mark before the first import", #"\#u{FEFF}import "a""#,
             [.init(kind: .staticImport, specifier: "a", start: 11, end: 12)]),
        Case("a hashbang line", #"#!/usr/bin/env node "x"\#nimport "a""#,
             [.init(kind: .staticImport, specifier: "a", start: 32, end: 33)]),
        Case("non-ASCII whitespace between tokens", #"x;\#u{A0}import("b");\#u{2028}import\#u{3000}"c""#,
             [
              .init(kind: .dynamicImport, specifier: "b", start: 12, end: 13),
              .init(kind: .staticImport, specifier: "c", start: 29, end: 30)]),
        Case("non-ASCII identifiers", #"é = 1 / 2; importé("x"); café.import("y"); é.return / import("c")"#,
             [.init(kind: .dynamicImport, specifier: "c", start: 66, end: 67)]),
        Case("a private name that is a keyword", #"class A { #return = 1; f() { return this.#return / import("p") } }"#,
             [.init(kind: .dynamicImport, specifier: "p", start: 59, end: 60)]),
        Case("a specifier with a line separator is skipped", #"import "a\#u{2028}b"; import("c\#u{2029}d"); import "e""#,
             [.init(kind: .staticImport, specifier: "e", start: 41, end: 42)]),
    ]

    /// The bytes fed in pieces cut at `cuts` (ascending offsets).
    private func scan(_ bytes: [UInt8], cutAt cuts: [Int]) -> ModuleScan {
        var lexer = ImportLexer()
        var from = 0
        for cut in cuts + [bytes.count] {
            lexer.feed(Array(bytes[from..<cut]))
            from = cut
        }
        return lexer.finish()
    }

    func testEveryCaseFindsExactlyItsImportsAndWhetherItMentionsHot() {
        for item in Self.cases {
            XCTAssertEqual(ImportLexer.scan(item.bytes), item.scan, item.name)
            for found in item.imports {
                XCTAssertEqual(Array(item.bytes[found.start..<found.end]), Array(found.specifier.utf8), item.name)
            }
        }
    }

    func testEveryCaseGivesTheSameResultSplitAtEveryPositionAndByteByByte() {
        for item in Self.cases {
            let bytes = item.bytes
            for cut in 0...bytes.count {
                XCTAssertEqual(scan(bytes, cutAt: [cut]), item.scan, "\(item.name), cut at \(cut)")
            }
            XCTAssertEqual(scan(bytes, cutAt: Array(0...bytes.count)), item.scan, "\(item.name), byte by byte")
        }
    }

    func testTscOutputForES2020GivesItsImportsAndHot() {
        let expected = ModuleScan(imports: [
            .init(kind: .staticImport, specifier: "./view.js", start: 24, end: 33),
            .init(kind: .staticImport, specifier: "./api/client.js", start: 58, end: 73),
            .init(kind: .staticImport, specifier: "../shared/helper.js", start: 119, end: 138),
            .init(kind: .staticImport, specifier: "./styles.css.js", start: 149, end: 164),
            .init(kind: .exportFrom, specifier: "./format.js", start: 191, end: 202),
            .init(kind: .exportFrom, specifier: "./types.js", start: 220, end: 230),
            .init(kind: .exportFrom, specifier: "./util/index.js", start: 256, end: 271),
            .init(kind: .dynamicImport, specifier: "./lazy.js", start: 606, end: 615),
            .init(kind: .dynamicImport, specifier: "./chunk.js", start: 942, end: 952),
        ], mentionsHot: true)
        assertSample(tscSample, expected)
    }

    func testEsbuildOutputGivesItsImportsAndHot() {
        let expected = ModuleScan(imports: [
            .init(kind: .staticImport, specifier: "./view.js", start: 24, end: 33),
            .init(kind: .staticImport, specifier: "./api/client.js", start: 58, end: 73),
            .init(kind: .staticImport, specifier: "../shared/helper.js", start: 119, end: 138),
            .init(kind: .staticImport, specifier: "./styles.css.js", start: 149, end: 164),
            .init(kind: .staticImport, specifier: "./format.js", start: 191, end: 202),
            .init(kind: .exportFrom, specifier: "./types.js", start: 220, end: 230),
            .init(kind: .staticImport, specifier: "./util/index.js", start: 256, end: 271),
            .init(kind: .dynamicImport, specifier: "./lazy.js", start: 509, end: 518),
            .init(kind: .dynamicImport, specifier: "./chunk.js", start: 831, end: 841),
        ], mentionsHot: true)
        assertSample(esbuildSample, expected)
    }

    func testMinifiedEsbuildOutputOnOneLineGivesItsImportsAndHot() {
        let expected = ModuleScan(imports: [
            .init(kind: .staticImport, specifier: "./view.js", start: 24, end: 33),
            .init(kind: .staticImport, specifier: "./api/client.js", start: 52, end: 67),
            .init(kind: .staticImport, specifier: "../shared/helper.js", start: 96, end: 115),
            .init(kind: .staticImport, specifier: "./styles.css.js", start: 124, end: 139),
            .init(kind: .staticImport, specifier: "./format.js", start: 165, end: 176),
            .init(kind: .exportFrom, specifier: "./types.js", start: 190, end: 200),
            .init(kind: .staticImport, specifier: "./util/index.js", start: 219, end: 234),
            .init(kind: .dynamicImport, specifier: "./lazy.js", start: 396, end: 405),
            .init(kind: .dynamicImport, specifier: "./chunk.js", start: 543, end: 553),
        ], mentionsHot: true)
        assertSample(minifiedSample, expected)
    }

    func testEsbuildSplittingOutputWithAnImportAssertionGivesItsImports() {
        let expected = ModuleScan(imports: [
            .init(kind: .staticImport, specifier: "./chunk-NEHJJHNN.js", start: 26, end: 45),
            .init(kind: .staticImport, specifier: "./data.json", start: 80, end: 91),
            .init(kind: .dynamicImport, specifier: "./page.js", start: 171, end: 180),
        ], mentionsHot: true)
        assertSample(splittingSample, expected)
    }

    private func assertSample(_ source: String, _ expected: ModuleScan, file: StaticString = #filePath,
                              line: UInt = #line) {
        let bytes = Array(source.utf8)
        XCTAssertEqual(ImportLexer.scan(bytes), expected, file: file, line: line)
        for cut in stride(from: 0, through: bytes.count, by: 7) {
            XCTAssertEqual(scan(bytes, cutAt: [cut / 3, cut]), expected, "cut at \(cut / 3), \(cut)",
                           file: file, line: line)
        }
    }

    func testASpecifierThatIsNotValidUTF8IsSkipped() {
        let bytes = Array(#"import ""#.utf8) + [0xFF, 0x2E] + Array(#""; import "ok""#.utf8)
        XCTAssertEqual(ImportLexer.scan(bytes).imports,
                       [.init(kind: .staticImport, specifier: "ok", start: 21, end: 23)])
    }

    func testASpecifierUpToTheLimitIsKeptAndALongerOneDropped() {
        let limit = ImportLexer.specifierLimit
        for length in [limit, limit + 1] {
            let name = String(repeating: "a", count: length)
            let found = ImportLexer.scan(Array("import(\"\(name)\"); import \"b\"".utf8)).imports
            XCTAssertEqual(found.map(\.specifier), length <= limit ? [name, "b"] : ["b"], "\(length)")
        }
    }

    func testNestingUpToTheLimitIsFollowedAndDeeperStopsTheLexer() {
        let limit = ImportLexer.nestingLimit
        for depth in [limit - 1, limit] {
            let source = String(repeating: "(", count: depth) + #"import("a")"# + String(repeating: ")", count: depth)
                + #"; import.meta.hot"#
            var lexer = ImportLexer()
            lexer.feed(Array(source.utf8))
            XCTAssertEqual(lexer.gaveUp, depth == limit, "\(depth)")
            let scan = lexer.finish()
            XCTAssertEqual(scan.imports.map(\.specifier), depth < limit ? ["a"] : [], "\(depth)")
            XCTAssertEqual(scan.mentionsHot, depth < limit, "\(depth)")
        }
    }

    func testAStrayCloserStopsTheLexerButKeepsWhatCameBefore() {
        for closer in [")", "]", "}", "(]", "[)", "{)", "`${)"] {
            var lexer = ImportLexer()
            lexer.feed(Array("import \"a\"; \(closer) import \"b\"; import(\"c\")".utf8))
            XCTAssertTrue(lexer.gaveUp, closer)
            XCTAssertEqual(lexer.finish().imports.map(\.specifier), ["a"], closer)
        }
    }

    // The misjudgement the `}` rule allows: an object literal ending a statement with no
    // semicolon, then a regex on the next line. The regex is read as division, its quote
    // opens a string that meets the line break, and the lexer stops instead of guessing.
    func testARegexAfterAnObjectLiteralStopsTheLexerRatherThanMisreport() {
        var lexer = ImportLexer()
        lexer.feed(Array("import \"a\"\nconst o = {a: 1}\n/\"/.test(s)\nimport(\"b\")".utf8))
        XCTAssertTrue(lexer.gaveUp)
        XCTAssertEqual(lexer.finish().imports.map(\.specifier), ["a"])
    }

    func testInputThatEndsInsideAnImportReportsNothingOfIt() {
        for source in [#"import("a""#, #"import "a"#, #"import {a} from"#, #"import("a" "#, "import(\"a\"\n"] {
            XCTAssertEqual(ImportLexer.scan(Array(source.utf8)), ModuleScan(), source)
        }
    }

    func testFinishLeavesTheLexerReadyForAnotherFile() {
        var lexer = ImportLexer()
        lexer.feed(Array("x = (\"".utf8))
        _ = lexer.finish()
        lexer.feed(Array(#"import "b""#.utf8))
        XCTAssertEqual(lexer.finish().imports, [.init(kind: .staticImport, specifier: "b", start: 8, end: 9)])
    }

    func testKeywordsAreFoundByTheirPackedBytesAndLookalikesAreNot() {
        func keyword(_ word: String) -> ImportLexer.Keyword? {
            var lexer = ImportLexer()
            lexer.beginWord(number: false)
            for byte in word.utf8 { lexer.addWordByte(byte) }
            return lexer.wordIsPlain ? nil : ImportLexer.Keyword(low: lexer.wordLow, high: lexer.wordHigh)
        }
        let all: [ImportLexer.Keyword] = [.import, .export, .from, .as, .meta, .hot, .assert, .with, .if, .while,
            .for, .else, .do, .try, .finally, .catch, .return, .typeof, .instanceof, .in, .new, .delete, .void,
            .throw, .yield, .await, .case, .debugger, .break, .continue, .default]
        for word in all { XCTAssertEqual(keyword("\(word)"), word) }
        for lookalike in ["instance", "instanceofx", "imports", "impor", "Import", "i", "", "continued",
                          "importimportimportimport", "instanceof_instanceof"] {
            XCTAssertNil(keyword(lookalike), lookalike)
        }
    }
}

// Real output, generated from one TypeScript file (static, namespace, side-effect and
// re-exports; a regex holding `import("fake")`, `/` and quotes; nested templates; dynamic
// imports with a plain string, a variable and a comment; import.meta.hot; a property
// named import): `tsc --module es2020 --target es2020` (tsc 4.8), `esbuild --format=esm`
// and `esbuild --format=esm --minify` (esbuild 0.17), and esbuild's `--splitting` entry.

private let tscSample = #"""
import { render } from "./view.js";
import * as api from "./api/client.js";
import defaultThing, { helper as h } from "../shared/helper.js";
import "./styles.css.js";
export { format } from "./format.js";
export * from "./types.js";
export * as util from "./util/index.js";
const pattern = /import\("fake"\)|[/"']/g;
const ratio = (window.innerWidth / 2) / 3;
const message = `loading ${api.name} at ${ratio.toFixed(2)} / ${`nested ${"}"}`}`;
export async function start(root, view) {
    // import("./commented.js") is not an import
    /* nor is import "./block.js" */
    const { lazy } = await import("./lazy.js");
    const which = pattern.test(message) ? "./a.js" : "./b.js";
    const dynamic = await import(which);
    render(root, view, lazy, dynamic, defaultThing, h(ratio));
    if (import.meta.hot) {
        import.meta.hot.accept();
    }
}
export default class App {
    load(path) { return import(/* webpackChunkName: "x" */ "./chunk.js"); }
    get options() { return { import: "./not-a-module.js", "export": 'no' }; }
}
"""#

private let esbuildSample = #"""
import { render } from "./view.js";
import * as api from "./api/client.js";
import defaultThing, { helper as h } from "../shared/helper.js";
import "./styles.css.js";
import { format } from "./format.js";
export * from "./types.js";
import * as util from "./util/index.js";
const pattern = /import\("fake"\)|[/"']/g;
const ratio = window.innerWidth / 2 / 3;
const message = `loading ${api.name} at ${ratio.toFixed(2)} / ${`nested ${"}"}`}`;
async function start(root, view) {
  const { lazy } = await import("./lazy.js");
  const which = pattern.test(message) ? "./a.js" : "./b.js";
  const dynamic = await import(which);
  render(root, view, lazy, dynamic, defaultThing, h(ratio));
  if (import.meta.hot) {
    import.meta.hot.accept();
  }
}
class App {
  load(path) {
    return import(
      /* webpackChunkName: "x" */
      "./chunk.js"
    );
  }
  get options() {
    return { import: "./not-a-module.js", "export": "no" };
  }
}
export {
  App as default,
  format,
  start,
  util
};
"""#

private let minifiedSample = #"""
import{render as a}from"./view.js";import*as m from"./api/client.js";import n,{helper as p}from"../shared/helper.js";import"./styles.css.js";import{format as y}from"./format.js";export*from"./types.js";import*as j from"./util/index.js";const s=/import\("fake"\)|[/"']/g,r=window.innerWidth/2/3,c=`loading ${m.name} at ${r.toFixed(2)} / nested }`;async function u(t,o){const{lazy:e}=await import("./lazy.js"),i=await import(s.test(c)?"./a.js":"./b.js");a(t,o,e,i,n,p(r)),import.meta.hot&&import.meta.hot.accept()}class d{load(o){return import("./chunk.js")}get options(){return{import:"./not-a-module.js",export:"no"}}}export{d as default,y as format,u as start,j as util};
"""#

private let splittingSample = #"""
import {
  shared
} from "./chunk-NEHJJHNN.js";

// b/main.ts
import data from "./data.json" assert { type: "json" };
async function main() {
  const page = await import("./page.js");
  return shared(data) + page.render(/a\/b/.source);
}
if (import.meta.hot)
  import.meta.hot.accept();
export {
  main
};
"""#

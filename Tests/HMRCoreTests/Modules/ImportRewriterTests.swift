// The bytes served for a module, byte for byte: versioned specifiers, the hot prologue
// and where it goes, and a scan that no longer fits the file, which changes nothing.

import XCTest
@testable import HMRCore

final class ImportRewriterTests: XCTestCase {
    private let versions = ["js/util.js": "00000000000000aa", "js/lazy.js": "00000000000000bb", "lib/x.js": "00000000000000cc"]

    /// The scan of `source` with each specifier's offsets found by searching for it in quotes.
    private func scan(_ source: String, _ specifiers: [(ModuleImport.Kind, String)], hot: Bool = false) -> ModuleScan {
        let bytes = Array(source.utf8)
        var from = 0
        let imports = specifiers.map { kind, specifier in
            let quoted = Array("\"\(specifier)\"".utf8)
            var at = from
            while !bytes[at...].starts(with: quoted) { at += 1 }
            from = at + quoted.count
            return ModuleImport(kind: kind, specifier: specifier, start: at + 1, end: at + 1 + specifier.utf8.count)
        }
        return ModuleScan(imports: imports, mentionsHot: hot)
    }

    private func rewrite(_ source: String, _ scan: ModuleScan, key: String = "js/app.js") -> (String, RewrittenModule) {
        let result = ImportRewriter.rewrite(Array(source.utf8), scan: scan, key: key, urlPrefix: "/") { versions[$0] }
        return (String(decoding: result.bytes, as: UTF8.self), result)
    }

    func testImportsOfVersionedModulesGetTheirVersionAndOthersAreLeftAlone() {
        let source = "import a from \"./util.js\";\nimport \"react\";\nexport * from \"../lib/x.js?raw\";\n"
            + "import(\"./lazy.js\");\nimport \"./unknown.js\";\nimport \"./util.js#frag\";\n"
        let (text, result) = rewrite(source, scan(source, [(.staticImport, "./util.js"), (.staticImport, "react"),
                                                            (.exportFrom, "../lib/x.js?raw"), (.dynamicImport, "./lazy.js"),
                                                            (.staticImport, "./unknown.js"), (.staticImport, "./util.js#frag")]))
        XCTAssertEqual(text, "import a from \"./util.js?v=00000000000000aa\";\nimport \"react\";\n"
            + "export * from \"../lib/x.js?raw&v=00000000000000cc\";\nimport(\"./lazy.js?v=00000000000000bb\");\n"
            + "import \"./unknown.js\";\nimport \"./util.js#frag\";\n")
        XCTAssertEqual(result.versionedImports, 3)
        XCTAssertFalse(result.addedHotPrologue)
        XCTAssertNil(result.mismatch)
    }

    func testSeveralImportsOnOneLineAfterMultibyteTextAreAllRewritten() {
        let source = "/* caf\u{E9} \u{1F600} */ import \"./util.js\"; import \"/js/lazy.js\";import(\"./util.js\")"
        let (text, result) = rewrite(source, scan(source, [(.staticImport, "./util.js"), (.staticImport, "/js/lazy.js"),
                                                            (.dynamicImport, "./util.js")]))
        XCTAssertEqual(text, "/* caf\u{E9} \u{1F600} */ import \"./util.js?v=00000000000000aa\"; "
            + "import \"/js/lazy.js?v=00000000000000bb\";import(\"./util.js?v=00000000000000aa\")")
        XCTAssertEqual(result.versionedImports, 3)
    }

    func testAModuleWithNothingToChangeIsServedAsItIs() {
        let source = "import \"react\";\nconsole.log(1)\n"
        let (text, result) = rewrite(source, scan(source, [(.staticImport, "react")]))
        XCTAssertEqual(text, source)
        XCTAssertEqual(result, RewrittenModule(bytes: Array(source.utf8), versionedImports: 0, addedHotPrologue: false,
                                               mismatch: nil))
    }

    func testTheHotPrologueStartsLineOne() {
        let source = "import \"./util.js\";\nimport.meta.hot.accept();\n"
        let (text, result) = rewrite(source, scan(source, [(.staticImport, "./util.js")], hot: true))
        XCTAssertEqual(text, "import.meta.hot = globalThis.__hmrHot?.(import.meta.url);"
            + "import \"./util.js?v=00000000000000aa\";\nimport.meta.hot.accept();\n")
        XCTAssertTrue(result.addedHotPrologue)
    }

    func testTheHotPrologueGoesAfterAByteOrderMark() {
        let source = "\u{FEFF}import.meta.hot.accept()"
        XCTAssertEqual(rewrite(source, scan(source, [], hot: true)).0,
                       "\u{FEFF}import.meta.hot = globalThis.__hmrHot?.(import.meta.url);import.meta.hot.accept()")
    }

    func testTheHotPrologueStartsLineTwoAfterAHashbang() {
        let prologue = "import.meta.hot = globalThis.__hmrHot?.(import.meta.url);"
        let cases: [(String, String)] = [
            ("#!/usr/bin/env node\nimport \"./util.js\";",
             "#!/usr/bin/env node\n\(prologue)import \"./util.js?v=00000000000000aa\";"),
            ("#!node\r\nimport \"./util.js\";", "#!node\r\n\(prologue)import \"./util.js?v=00000000000000aa\";"),
            ("#!node\rimport \"./util.js\";\n", "#!node\r\(prologue)import \"./util.js?v=00000000000000aa\";\n"),
            ("#!node\u{2028}import \"./util.js\";", "#!node\u{2028}\(prologue)import \"./util.js?v=00000000000000aa\";"),
            ("\u{FEFF}#!node\nimport \"./util.js\";", "\u{FEFF}#!node\n\(prologue)import \"./util.js?v=00000000000000aa\";"),
        ]
        for (source, expected) in cases {
            XCTAssertEqual(rewrite(source, scan(source, [(.staticImport, "./util.js")], hot: true)).0, expected,
                           source.debugDescription)
        }
    }

    func testAHashbangFileWithNoLineBreakGetsThePrologueOnANewLastLine() {
        let source = "#!/usr/bin/env node"
        XCTAssertEqual(rewrite(source, scan(source, [], hot: true)).0,
                       "#!/usr/bin/env node\nimport.meta.hot = globalThis.__hmrHot?.(import.meta.url);")
    }

    func testNoLineBreakIsAddedOrRemoved() {
        let source = "#!x\r\nimport \"./util.js\"; import(\"../lib/x.js\")\n\u{2029}export * from \"/js/lazy.js\"\r"
        let (text, _) = rewrite(source, scan(source, [(.staticImport, "./util.js"), (.dynamicImport, "../lib/x.js"),
                                                      (.exportFrom, "/js/lazy.js")], hot: true))
        let breaks = { (text: String) in
            text.unicodeScalars.filter { "\r\n\u{2028}\u{2029}".unicodeScalars.contains($0) }
        }
        XCTAssertEqual(Array(breaks(text)), Array(breaks(source)))
        XCTAssertEqual(text.split(separator: "\n", omittingEmptySubsequences: false).count,
                       source.split(separator: "\n", omittingEmptySubsequences: false).count)
    }

    func testAScanThatDoesNotFitTheBytesChangesNothingAndSaysWhy() {
        let source = "import \"./util.js\";\nimport \"./util.js\";\n"
        let good = scan(source, [(.staticImport, "./util.js"), (.staticImport, "./util.js")], hot: true)
        var shifted = good
        shifted.imports[1].start += 1
        shifted.imports[1].end += 1
        var outOfRange = good
        outOfRange.imports[1].end = source.utf8.count + 1
        var backwards = good
        backwards.imports[1].start = backwards.imports[1].end + 1
        var overlapping = good
        overlapping.imports[1] = overlapping.imports[0]
        var negative = good
        negative.imports[0].start = -1
        let cases: [(ModuleScan, ScanMismatch.Reason, Int)] = [
            (shifted, .textDiffers, 1), (outOfRange, .outOfRange, 1), (backwards, .outOfRange, 1),
            (overlapping, .outOfOrder, 1), (negative, .outOfRange, 0),
        ]
        for (bad, reason, index) in cases {
            let (text, result) = rewrite(source, bad)
            XCTAssertEqual(text, source)
            XCTAssertEqual(result.mismatch?.reason, reason)
            XCTAssertEqual(result.mismatch?.index, index)
            XCTAssertEqual(result.versionedImports, 0)
            XCTAssertFalse(result.addedHotPrologue)
        }
        XCTAssertEqual(rewrite(source, shifted).1.mismatch?.description,
                       "import 1 (\"./util.js\" at bytes 29..<38) does not match the file")
    }

    func testTheGraphGivesTheScanAndVersionsItHolds() {
        var graph = ModuleGraph(urlPrefix: "/static/")
        let app = moduleSource(["./util.js", "react"], dynamic: ["/static/lazy.js"], hot: true)
        graph.update(changed: [ModuleGraph.ChangedModule(key: "app.js", hash: contentHash(1), scan: app.scan),
                               changed("util.js", 2), changed("lazy.js", 3)], removed: [])
        let result = ImportRewriter.rewrite(app.bytes, key: "app.js", graph: graph)
        let util = graph.version(of: "util.js")!, lazy = graph.version(of: "lazy.js")!
        XCTAssertEqual(result.map { String(decoding: $0.bytes, as: UTF8.self) },
                       "import.meta.hot = globalThis.__hmrHot?.(import.meta.url);import \"./util.js?v=\(util)\";\n"
                       + "import \"react\";\nimport(\"/static/lazy.js?v=\(lazy)\");\nimport.meta.hot?.accept();\n")
        XCTAssertNil(ImportRewriter.rewrite(app.bytes, key: "other.js", graph: graph))
    }

    func testAModuleScannedByTheLexerIsServedWithVersionsAndItsPrologue() {
        let source = "#!/usr/bin/env node\n// caf\u{E9}: import \"./util.js\"\n"
            + "import a, { b } from \"./util.js\"; export * from '../lib/x.js';\n"
            + "const lazy = () => import(\"./lazy.js\");\nif (import.meta.hot) import.meta.hot.accept();\n"
        let result = ImportRewriter.rewrite(Array(source.utf8), scan: ImportLexer.scan(Array(source.utf8)),
                                            key: "js/app.js", urlPrefix: "/") { versions[$0] }
        XCTAssertEqual(String(decoding: result.bytes, as: UTF8.self),
                       "#!/usr/bin/env node\nimport.meta.hot = globalThis.__hmrHot?.(import.meta.url);"
                       + "// caf\u{E9}: import \"./util.js\"\n"
                       + "import a, { b } from \"./util.js?v=00000000000000aa\"; "
                       + "export * from '../lib/x.js?v=00000000000000cc';\n"
                       + "const lazy = () => import(\"./lazy.js?v=00000000000000bb\");\n"
                       + "if (import.meta.hot) import.meta.hot.accept();\n")
        XCTAssertEqual(result.versionedImports, 3)
        XCTAssertNil(result.mismatch)
    }

    func testAFileChangedSinceItsScanIsServedAsItIs() {
        let scanned = Array("import \"./util.js\";\n".utf8)
        let now = Array("// new\nimport \"./util.js\";\n".utf8)
        let result = ImportRewriter.rewrite(now, scan: ImportLexer.scan(scanned), key: "js/app.js", urlPrefix: "/") {
            versions[$0]
        }
        XCTAssertEqual(result.bytes, now)
        XCTAssertEqual(result.mismatch?.reason, .textDiffers)
    }
}

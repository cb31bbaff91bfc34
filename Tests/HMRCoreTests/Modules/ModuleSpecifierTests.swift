// Resolving import specifiers to module-map keys as a browser and hmrd's server would,
// table by table, and writing a specifier with a version.

import XCTest
@testable import HMRCore

final class ModuleSpecifierTests: XCTestCase {
    private func resolve(_ specifier: String, from importer: String = "js/app.js", prefix: String = "/") -> String? {
        ModuleSpecifier.resolve(specifier, importer: importer, urlPrefix: prefix)
    }

    func testRelativeSpecifiersResolveAgainstTheImportersFolder() {
        let cases: [(String, String, String)] = [
            ("js/app.js", "./util.js", "js/util.js"),
            ("js/app.js", "../lib/x.js", "lib/x.js"),
            ("js/app.js", "./a/b/../c.js", "js/a/c.js"),
            ("js/app.js", "./././x.mjs", "js/x.mjs"),
            ("app.js", "./util.js", "util.js"),
            ("a/b/c/d.js", "../../e.js", "a/e.js"),
            ("js/app.js", "./x.js?raw=1", "js/x.js"),
            ("js/app.js", "./x.js#frag", "js/x.js"),
            ("js/app.js", "./x.js?a#b", "js/x.js"),
            ("js/app.js", "../x", "x"),
        ]
        for (importer, specifier, key) in cases {
            XCTAssertEqual(resolve(specifier, from: importer), key, "\(specifier) from \(importer)")
        }
    }

    func testRootRelativeSpecifiersResolveFromTheURLRoot() {
        XCTAssertEqual(resolve("/js/util.js"), "js/util.js")
        XCTAssertEqual(resolve("/a/../b.js"), "b.js")
        XCTAssertEqual(resolve("/assets/js/x.js", prefix: "/assets/"), "js/x.js")
        XCTAssertEqual(resolve("/x.js?v=1", prefix: "/"), "x.js")
    }

    func testSpecifiersOutsideTheURLPrefixNameNoModule() {
        XCTAssertNil(resolve("/other/x.js", prefix: "/assets/"))
        XCTAssertNil(resolve("/assetsx/x.js", prefix: "/assets/"))
        XCTAssertNil(resolve("/assets/", prefix: "/assets/"))
        XCTAssertNil(resolve("../x.js", from: "app.js", prefix: "/assets/"))
        XCTAssertEqual(resolve("../lib/x.js", from: "js/app.js", prefix: "/assets/"), "lib/x.js")
    }

    func testClimbingAboveTheURLRootNamesNoModule() {
        XCTAssertNil(resolve("../../x.js", from: "js/app.js"))
        XCTAssertNil(resolve("/../x.js"))
        XCTAssertNil(resolve("../x.js", from: "app.js"))
    }

    func testBareSpecifiersAndFullURLsAreLeftAlone() {
        for specifier in ["react", "lit/decorators.js", "@scope/pkg", "https://cdn.example/x.js", "http://h/x.js",
                          "data:text/javascript,export{}", "//cdn.example/x.js", "node:fs", "blob:x", ".", "..",
                          "x.js", ".x.js", "", "file:///x.js"] {
            XCTAssertNil(resolve(specifier), specifier)
        }
    }

    func testPercentEscapesAreDecodedOnce() {
        XCTAssertEqual(resolve("./caf%C3%A9.js"), "js/caf\u{E9}.js")
        XCTAssertEqual(resolve("./a%20b.js"), "js/a b.js")
        XCTAssertEqual(resolve("./%252e%252e/x.js"), "js/%2e%2e/x.js")
        XCTAssertEqual(resolve("./caf\u{E9}.js"), "js/caf\u{E9}.js")
        XCTAssertEqual(resolve("./100%25.js"), "js/100%.js")
    }

    func testAPercentSignInTheImportersPathIsPartOfItsName() {
        XCTAssertEqual(resolve("./x.js", from: "50%/app.js"), "50%/x.js")
        XCTAssertEqual(resolve("../%2541.js", from: "50%/app.js"), "%41.js")
        XCTAssertEqual(resolve("./x.js", from: "app.js", prefix: "/a%20b/"), "x.js")
    }

    func testEncodedDotsAreDotSegmentsAsTheBrowserReadsThem() {
        XCTAssertEqual(resolve("./%2e%2E/x.js"), "x.js")
        XCTAssertEqual(resolve("./.%2e/x.js"), "x.js")
        XCTAssertEqual(resolve("./%2e/x.js"), "js/x.js")
    }

    func testAnEncodedSlashIsASeparatorToTheServerButNotToTheBrowser() {
        XCTAssertEqual(resolve("./a%2Fb.js"), "js/a/b.js")
        // `..` pops the browser's segment `a%2Fb`, not `b`.
        XCTAssertEqual(resolve("./a%2Fb/../x.js"), "js/x.js")
        // The browser sees one segment, the server a `..` it refuses.
        XCTAssertNil(resolve("./a%2F..%2Fb.js"))
    }

    func testEmptySegmentsArePoppedByDotDotThenDropped() {
        XCTAssertEqual(resolve(".//x.js"), "js/x.js")
        // `..` pops the empty segment, as the browser does, not `a`.
        XCTAssertEqual(resolve("./a//../x.js"), "js/a/x.js")
    }

    func testWhatTheServerWouldRefuseNamesNoModule() {
        for specifier in ["./%zz.js", "./%4.js", "./x%", "./%FF.js", "./%F0%90%80x.js", "./%C3.js", "./%00.js",
                          "./%5C.js", "./a\\b.js", "./x.js\t", "./x\n.js", "./x.js ", "./"] {
            XCTAssertNil(resolve(specifier), specifier.debugDescription)
        }
    }

    func testAFolderNamesNoModule() {
        for specifier in ["./", "./a/", "../", "./.", "./a/..", "./a/%2e", "/", "./x.js%2F", "./a%2F."] {
            XCTAssertNil(resolve(specifier), specifier)
        }
    }

    func testAVersionIsAQueryOrAnotherParameterOfOne() {
        XCTAssertEqual(ModuleSpecifier.versioned("./a.js", version: "0123456789abcdef"), "./a.js?v=0123456789abcdef")
        XCTAssertEqual(ModuleSpecifier.versioned("./a.js?raw", version: "0123456789abcdef"),
                       "./a.js?raw&v=0123456789abcdef")
        XCTAssertEqual(ModuleSpecifier.versioned("./caf\u{E9}.js", version: "00000000000000ff"),
                       "./caf\u{E9}.js?v=00000000000000ff")
    }

    func testASpecifierWithAFragmentIsNotVersioned() {
        XCTAssertNil(ModuleSpecifier.versioned("./a.js#x", version: "0123456789abcdef"))
        XCTAssertNil(ModuleSpecifier.versioned("./a.js?q#x", version: "0123456789abcdef"))
    }
}

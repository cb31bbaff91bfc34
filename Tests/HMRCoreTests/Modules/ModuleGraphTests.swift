// The import graph's shape: which edges a module's scan gives, edges to modules that
// are not there yet, removals, importers, and the placeholders it forgets.

import XCTest
@testable import HMRCore

final class ModuleGraphTests: XCTestCase {
    func testImportsAreResolvedDeduplicatedAndKeptApartFromDynamicOnes() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [
            changed("js/app.js", 1, ["./util.js", "/js/util.js", "../lib/x.js", "./util.js?x", "./lazy.js"],
                    dynamic: ["./lazy.js", "./lazy.js", "./other.js"], hot: true),
        ], removed: [])
        let app = graph.module("js/app.js")
        XCTAssertEqual(app?.imports, ["js/util.js", "lib/x.js", "js/lazy.js"])
        XCTAssertEqual(app?.dynamicImports, ["js/lazy.js", "js/other.js"])
        XCTAssertEqual(app?.mentionsHot, true)
        XCTAssertEqual(app?.hash, contentHash(1))
        XCTAssertEqual(app?.scan, moduleScan(["./util.js", "/js/util.js", "../lib/x.js", "./util.js?x", "./lazy.js"],
                                             dynamic: ["./lazy.js", "./lazy.js", "./other.js"], hot: true))
        XCTAssertEqual(graph.count, 1)
    }

    func testSelfImportsBareNamesAndNonModulesAreNoEdges() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [changed("a.js", 1, ["./a.js", "react", "./style.css", "https://x.test/y.js", "./b.mjs"],
                                       dynamic: ["/a.js"])], removed: [])
        XCTAssertEqual(graph.module("a.js")?.imports, ["b.mjs"])
        XCTAssertEqual(graph.module("a.js")?.dynamicImports, [])
        XCTAssertEqual(graph.importers(of: "a.js"), [])
    }

    func testFilesThatAreNotModulesAreNotKept() {
        var graph = ModuleGraph(urlPrefix: "/")
        let moved = graph.update(changed: [changed("style.css", 1), changed("index.html", 2)], removed: ["x.js"])
        XCTAssertEqual(graph.count, 0)
        XCTAssertEqual(moved, [])
        XCTAssertNil(graph.module("style.css"))
        XCTAssertNil(graph.version(of: "style.css"))
    }

    func testAnImportOfAModuleNotYetWrittenIsKeptAndLinksWhenItAppears() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [changed("app.js", 1, ["./late.js"])], removed: [])
        XCTAssertEqual(graph.module("app.js")?.imports, ["late.js"])
        XCTAssertEqual(graph.importers(of: "late.js"), ["app.js"])
        let before = graph.version(of: "app.js")

        let moved = graph.update(changed: [changed("late.js", 2)], removed: [])
        XCTAssertEqual(moved, ["late.js", "app.js"])
        XCTAssertNotEqual(graph.version(of: "app.js"), before)
    }

    func testARemovedModuleIsForgottenButItsImportersStillNameIt() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [changed("app.js", 1, ["./b.js"]), changed("b.js", 2, ["./c.js"]), changed("c.js", 3)],
                     removed: [])
        let moved = graph.update(changed: [], removed: ["b.js"])
        XCTAssertEqual(moved, ["b.js", "app.js"])
        XCTAssertNil(graph.module("b.js"))
        XCTAssertNil(graph.version(of: "b.js"))
        XCTAssertEqual(graph.importers(of: "b.js"), ["app.js"])
        XCTAssertEqual(graph.importers(of: "c.js"), [])
        XCTAssertEqual(graph.count, 2)
    }

    func testAKeyBothChangedAndRemovedInOneUpdateEndsUpRemoved() {
        var graph = ModuleGraph(urlPrefix: "/")
        let moved = graph.update(changed: [changed("a.js", 1)], removed: ["a.js"])
        XCTAssertNil(graph.version(of: "a.js"))
        XCTAssertEqual(moved, [])
    }

    func testImportersAreListedInKeyOrderWhetherStaticOrDynamic() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [changed("z.js", 1, ["./u.js"]), changed("a.js", 2, [], dynamic: ["./u.js"]),
                               changed("m/x.js", 3, ["../u.js"]), changed("u.js", 4)], removed: [])
        XCTAssertEqual(graph.importers(of: "u.js"), ["a.js", "m/x.js", "z.js"])
        graph.update(changed: [changed("z.js", 5)], removed: ["a.js"])
        XCTAssertEqual(graph.importers(of: "u.js"), ["m/x.js"])
        XCTAssertEqual(graph.keys, ["m/x.js", "u.js", "z.js"])
    }

    func testModuleKeysPicksModulesOnlyInKeyOrder() {
        var graph = ModuleGraph(urlPrefix: "/")
        // "gone.js" is imported, so it has a node, but it is not a module until a walk reads it.
        graph.update(changed: [changed("z.js", 1, ["./gone.js"]), changed("b/a.js", 2), changed("a.js", 3)], removed: [])
        XCTAssertEqual(graph.moduleKeys { $0 != "a.js" }, ["b/a.js", "z.js"])
        XCTAssertEqual(graph.moduleKeys { _ in true }, graph.keys)
        XCTAssertEqual(graph.moduleKeys { $0 == "gone.js" }, [])
    }

    func testImportsOfAKeyNoLongerImportedLeaveNothingBehind() {
        // A build that names chunks by content hash imports a new key after every edit.
        var graph = ModuleGraph(urlPrefix: "/")
        for build in 0..<200 {
            graph.update(changed: [changed("app.js", build, ["./chunk-\(build).js"])], removed: [])
        }
        XCTAssertEqual(graph.ids.count, 2)
        XCTAssertLessThanOrEqual(graph.nodes.count, 3)
        graph.update(changed: [], removed: ["app.js"])
        XCTAssertEqual(graph.ids.count, 0)
    }

    func testEdgesFollowTheURLPrefix() {
        var graph = ModuleGraph(urlPrefix: "/assets/")
        graph.update(changed: [changed("app.js", 1, ["/assets/a.js", "/a.js", "../b.js", "./c.js"])], removed: [])
        XCTAssertEqual(graph.module("app.js")?.imports, ["a.js", "c.js"])
    }
}

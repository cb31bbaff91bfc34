// Module versions: the documented encoding, which versions an edit moves, cycles,
// import chains too deep for recursion, and, over random updates, that recomputing
// only what can have moved gives what a graph built from scratch gives.

import XCTest
@testable import HMRCore

final class ModuleGraphVersionsTests: XCTestCase {
    private func name(_ key: String) -> UInt64 { ContentHash.of(Array(key.utf8)) }
    private func number(_ hex: String) -> UInt64 { UInt64(hex, radix: 16)! }

    private func version(component: [UInt64], key: String) -> String {
        let words = [ContentHash.of(words: component), name(key)]
        return ContentHash.hex(ContentHash.of(words: words))
    }

    func testVersionsHashTheDocumentedEncoding() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [changed("a.js", 1, ["./b.js", "./gone.js"], dynamic: ["./b.js"]), changed("b.js", 2)],
                     removed: [])
        let b = version(component: [name("b.js"), number(contentHash(2)), 0], key: "b.js")
        XCTAssertEqual(graph.version(of: "b.js"), b)
        let a: [UInt64] = [name("a.js"), number(contentHash(1)), 2, name("b.js"), number(b), name("b.js"), number(b)]
        XCTAssertEqual(graph.version(of: "a.js"), version(component: a, key: "a.js"))
    }

    func testACycleHashesItsMembersInKeyOrderWithOnlyOutsideImports() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [changed("y.js", 1, ["./x.js", "./leaf.js"]), changed("x.js", 2, ["./y.js"]),
                               changed("leaf.js", 3)], removed: [])
        let leaf = number(graph.version(of: "leaf.js")!)
        let component: [UInt64] = [name("x.js"), number(contentHash(2)), 0,
                                   name("y.js"), number(contentHash(1)), 1, name("leaf.js"), leaf]
        for key in ["x.js", "y.js"] { XCTAssertEqual(graph.version(of: key), version(component: component, key: key)) }
        XCTAssertNotEqual(graph.version(of: "x.js"), graph.version(of: "y.js"))
    }

    func testChangingAModuleMovesItAndItsImportersTransitivelyAndNothingElse() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [
            changed("main.js", 1, ["./a.js", "./b.js"]), changed("a.js", 2, ["./leaf.js"]),
            changed("b.js", 3, ["./other.js"]), changed("lazy.js", 4, [], dynamic: ["./a.js"]),
            changed("leaf.js", 5), changed("other.js", 6),
        ], removed: [])
        let before = graph.allVersions
        let moved = graph.update(changed: [changed("leaf.js", 7)], removed: [])
        XCTAssertEqual(moved, ["leaf.js", "a.js", "main.js", "lazy.js"])
        let after = graph.allVersions
        for key in before.keys { XCTAssertEqual(before[key] != after[key], moved.contains(key), key) }
    }

    func testRewritingAModuleWithTheSameContentMovesNothing() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [changed("a.js", 1, ["./b.js"]), changed("b.js", 2)], removed: [])
        XCTAssertEqual(graph.update(changed: [changed("b.js", 2), changed("a.js", 1, ["./b.js"])], removed: []), [])
    }

    func testAChangeInACycleMovesEveryMemberAndItsImporters() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [changed("a.js", 1, ["./b.js"]), changed("b.js", 2, ["./c.js"]), changed("c.js", 3, ["./a.js"]),
                               changed("top.js", 4, ["./a.js"]), changed("dep.js", 5)], removed: [])
        XCTAssertEqual(graph.update(changed: [changed("c.js", 6, ["./a.js", "./dep.js"])], removed: []),
                       ["a.js", "b.js", "c.js", "top.js"])
    }

    func testBreakingACycleGivesItsFormerMembersVersionsOfTheirOwn() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [changed("a.js", 1, ["./b.js"]), changed("b.js", 2, ["./a.js"])], removed: [])
        graph.update(changed: [changed("b.js", 3)], removed: [])
        var fresh = ModuleGraph(urlPrefix: "/")
        fresh.update(changed: [changed("a.js", 1, ["./b.js"]), changed("b.js", 3)], removed: [])
        XCTAssertEqual(graph.allVersions, fresh.allVersions)
    }

    func testAChainTenThousandModulesDeepNeedsNoRecursion() {
        let depth = 10_000
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: (0..<depth).map { changed("m\($0).js", $0, $0 + 1 < depth ? ["./m\($0 + 1).js"] : []) },
                     removed: [])
        let moved = graph.update(changed: [changed("m\(depth - 1).js", -1)], removed: [])
        XCTAssertEqual(moved.count, depth)
    }

    func testACycleOfTenThousandModulesIsOneComponent() {
        let size = 10_000
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: (0..<size).map { changed("m\($0).js", $0, ["./m\(($0 + 1) % size).js"]) }, removed: [])
        XCTAssertEqual(Set(graph.allVersions.values).count, size)
        XCTAssertEqual(graph.update(changed: [changed("m5.js", -5, ["./m6.js"])], removed: []).count, size)
    }

    func testAfterRandomUpdatesVersionsAreThoseOfAGraphBuiltFromScratch() {
        var random = SeededGenerator(state: 0x5EED)
        let keys = (0..<24).map { $0 % 3 == 0 ? "sub/m\($0).js" : "m\($0).js" }
        var graph = ModuleGraph(urlPrefix: "/")
        var files: [String: ModuleGraph.ChangedModule] = [:]
        for round in 0..<400 {
            var changes: [ModuleGraph.ChangedModule] = []
            var removals: [String] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let key = keys.randomElement(using: &random)!
                if Bool.random(using: &random), Int.random(in: 0..<3, using: &random) == 0 {
                    removals.append(key)
                } else {
                    changes.append(randomModule(key, among: keys, using: &random))
                }
            }
            let before = graph.allVersions
            let moved = graph.update(changed: changes, removed: removals)
            for change in changes { files[change.key] = change }
            for key in removals { files[key] = nil }

            var fresh = ModuleGraph(urlPrefix: "/")
            fresh.update(changed: files.keys.sorted().map { files[$0]! }, removed: [])
            let after = graph.allVersions
            XCTAssertEqual(after, fresh.allVersions, "round \(round)")
            let differing = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
            XCTAssertEqual(moved, differing, "round \(round)")
            for key in keys {
                XCTAssertEqual(graph.module(key), fresh.module(key), "round \(round) \(key)")
                XCTAssertEqual(graph.importers(of: key).filter { files[$0] != nil }, fresh.importers(of: key),
                               "round \(round) \(key)")
            }
            XCTAssertEqual(graph.json(buildHash: "h"), fresh.json(buildHash: "h"), "round \(round)")
        }
    }

    /// A module importing a few of `keys` (some not written yet), written several ways.
    private func randomModule(_ key: String, among keys: [String], using random: inout SeededGenerator)
        -> ModuleGraph.ChangedModule {
        let folder = key.hasPrefix("sub/") ? "sub/" : ""
        func specifier(_ target: String) -> String {
            switch Int.random(in: 0..<4, using: &random) {
            case 0: return "/" + target
            case 1: return target.hasPrefix(folder) && !folder.isEmpty ? "./" + target.dropFirst(folder.count)
                                                                       : (folder.isEmpty ? "./" : "../") + target
            case 2: return "/" + target + "?q"
            default: return Bool.random(using: &random) ? "bare-package" : "/" + target
            }
        }
        let imports = (0..<Int.random(in: 0...4, using: &random)).map { _ in specifier(keys.randomElement(using: &random)!) }
        let dynamic = (0..<Int.random(in: 0...1, using: &random)).map { _ in specifier(keys.randomElement(using: &random)!) }
        return changed(key, Int.random(in: 0..<6, using: &random), imports, dynamic: dynamic,
                       hot: Bool.random(using: &random))
    }
}

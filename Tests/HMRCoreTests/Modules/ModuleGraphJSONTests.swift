// The graph as the browser client fetches it, byte for byte.

import XCTest
@testable import HMRCore

final class ModuleGraphJSONTests: XCTestCase {
    func testAnEmptyGraphHasNoModules() {
        XCTAssertEqual(String(decoding: ModuleGraph(urlPrefix: "/").json(buildHash: "abc"), as: UTF8.self),
                       #"{"hash":"abc","modules":{}}"#)
    }

    func testModulesAreInKeyOrderWithOnlyPresentImportsAndOptionalFieldsLeftOutWhenEmpty() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [
            changed("util.js", 2),
            changed("app.js", 1, ["./util.js", "./missing.js"], dynamic: ["./lazy.js", "./gone.js"], hot: true),
            changed("lazy.js", 3, ["./util.js"]),
            changed("b/x.js", 4, [], dynamic: ["./nothing.js"]),
        ], removed: [])
        let v = { graph.version(of: $0)! }
        let expected = #"{"hash":"0123456789abcdef","modules":{"#
            + #""app.js":{"version":"\#(v("app.js"))","imports":["util.js"],"dynamic":["lazy.js"],"hot":true},"#
            + #""b/x.js":{"version":"\#(v("b/x.js"))","imports":[]},"#
            + #""lazy.js":{"version":"\#(v("lazy.js"))","imports":["util.js"]},"#
            + #""util.js":{"version":"\#(v("util.js"))","imports":[]}}}"#
        XCTAssertEqual(String(decoding: graph.json(buildHash: "0123456789abcdef"), as: UTF8.self), expected)
    }

    func testKeysAreSortedByTheirBytesAndEscaped() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [changed("\u{E9}.js", 1), changed("Z.js", 2), changed("a\"b.js", 3), changed("a.js", 4)],
                     removed: [])
        let v = { graph.version(of: $0)! }
        let expected = #"{"hash":"h","modules":{"Z.js":{"version":"\#(v("Z.js"))","imports":[]},"#
            + #""a\"b.js":{"version":"\#(v("a\"b.js"))","imports":[]},"#
            + #""a.js":{"version":"\#(v("a.js"))","imports":[]},"#
            + "\"\u{E9}.js\":{\"version\":\"\(v("\u{E9}.js"))\",\"imports\":[]}}}"
        XCTAssertEqual(String(decoding: graph.json(buildHash: "h"), as: UTF8.self), expected)
    }

    func testSinceAnEarlierBuildOnlyModulesOfAnotherVersionAndTheRemovedKeysAreListed() {
        var earlier = ModuleGraph(urlPrefix: "/")
        earlier.update(changed: [changed("app.js", 1, ["./view.js", "./old.js"]), changed("view.js", 2, ["./leaf.js"]),
                                 changed("leaf.js", 3), changed("other.js", 4), changed("old.js", 5)], removed: [])
        var graph = earlier
        // The leaf's edit moves the versions of its importers up to the entry, and only theirs
        // ("other.js" is left out). Imports are listed as written.
        graph.update(changed: [changed("leaf.js", 6), changed("app.js", 7, ["./view.js", "./new.js"]), changed("new.js", 8)],
                     removed: ["old.js"])
        let v = { graph.version(of: $0)! }
        let expected = #"{"hash":"2222222222222222","since":"1111111111111111","modules":{"#
            + #""app.js":{"version":"\#(v("app.js"))","imports":["view.js","new.js"]},"#
            + #""leaf.js":{"version":"\#(v("leaf.js"))","imports":[]},"#
            + #""new.js":{"version":"\#(v("new.js"))","imports":[]},"#
            + #""view.js":{"version":"\#(v("view.js"))","imports":["leaf.js"]}},"#
            + #""removed":["old.js"]}"#
        XCTAssertEqual(String(decoding: graph.json(buildHash: "2222222222222222", since: "1111111111111111", earlier: earlier),
                              as: UTF8.self), expected)
        XCTAssertEqual(String(decoding: graph.json(buildHash: "h", since: "h", earlier: graph), as: UTF8.self),
                       #"{"hash":"h","since":"h","modules":{},"removed":[]}"#)
    }

    func testThePayloadCarriesTheDifferenceWithoutTheHashOnlyWhenSmallAndNotEmpty() {
        var earlier = ModuleGraph(urlPrefix: "/")
        earlier.update(changed: [changed("app.js", 1, ["./leaf.js"]), changed("leaf.js", 2)], removed: [])
        var graph = earlier
        graph.update(changed: [changed("leaf.js", 3)], removed: [])
        let whole = String(decoding: graph.json(buildHash: "h", since: "e", earlier: earlier), as: UTF8.self)
        let inPayload = graph.payloadDifference(since: "e", earlier: earlier, limit: 2).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(inPayload, whole.replacingOccurrences(of: #""hash":"h","#, with: ""))
        XCTAssertNil(graph.payloadDifference(since: "e", earlier: earlier, limit: 1), "app.js and leaf.js moved: two")
        XCTAssertNil(graph.payloadDifference(since: "h", earlier: graph, limit: 100), "nothing moved")
    }

    func testAModuleInTheSlotOfAnotherThatWentIsNewAndTheOtherRemoved() {
        var earlier = ModuleGraph(urlPrefix: "/")
        earlier.update(changed: [changed("app.js", 1), changed("x.js", 2)], removed: [])
        var graph = earlier
        graph.update(changed: [], removed: ["x.js"])
        graph.update(changed: [changed("y.js", 3)], removed: []) // Takes the slot x.js left.
        let difference = String(decoding: graph.payloadDifference(since: "e", earlier: earlier, limit: 10)!, as: UTF8.self)
        XCTAssertEqual(difference, #"{"since":"e","modules":{"y.js":{"version":"\#(graph.version(of: "y.js")!)","imports":[]}},"#
                           + #""removed":["x.js"]}"#)
    }

    func testAGraphKeptForAnEarlierBuildIsNotChangedByLaterUpdates() {
        var graph = ModuleGraph(urlPrefix: "/")
        graph.update(changed: [changed("app.js", 1, ["./leaf.js"]), changed("leaf.js", 2)], removed: [])
        let kept = graph
        let before = (kept.version(of: "app.js"), kept.version(of: "leaf.js"), kept.json(buildHash: "k"))
        graph.update(changed: [changed("leaf.js", 3, ["./new.js"]), changed("new.js", 4)], removed: ["app.js"])
        XCTAssertNotEqual(graph.version(of: "leaf.js"), before.1)
        XCTAssertEqual(kept.version(of: "app.js"), before.0)
        XCTAssertEqual(kept.version(of: "leaf.js"), before.1)
        XCTAssertNil(kept.version(of: "new.js"))
        XCTAssertEqual(kept.json(buildHash: "k"), before.2)
    }
}

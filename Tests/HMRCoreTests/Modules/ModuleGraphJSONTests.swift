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
}

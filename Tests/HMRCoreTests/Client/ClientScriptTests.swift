import XCTest
@testable import HMRCore

final class ClientScriptTests: XCTestCase {
    func testTheEmbeddedSourceIsTheRepositorysClientByteForByte() throws {
        // The EmbedClient plugin writes the literal at build time: this fails if its
        // quoting ever changes a byte (a `"#`, a `\`, a line break at the end).
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("client/hmr-client.js")
        let onDisk = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(ClientScriptSource.text.utf8.elementsEqual(onDisk.utf8), "the embedded client differs from client/hmr-client.js")
    }

    func testTheSourceHasExactlyOneBootMarker() {
        XCTAssertEqual(ClientScriptSource.text.components(separatedBy: ClientScript.bootMarker).count, 2)
    }

    func testRenderStampsTheBootObjectInPlaceOfTheMarker() {
        let boot = ClientScript.Boot(hash: "abc", modules: ModuleMap(["b.css": "2", "a.js": "1"]).json,
                                     publicPath: "/", streamPath: "/__hmr", name: "web", heartbeat: 10_000)
        let out = ClientScript.render(boot, source: "const BOOT = /*HMR_BOOT*/null;\nrest")
        XCTAssertEqual(out, #"const BOOT = {"hash":"abc","modules":{"a.js":"1","b.css":"2"},"publicPath":"/","path":"/__hmr","name":"web","heartbeat":10000};"# + "\nrest")
    }

    func testSyncAndProxyAreInTheBootObjectOnlyWhenSet() {
        func boot(sync: Bool, proxy: Bool) -> String {
            ClientScript.Boot(hash: "abc", modules: ModuleMap([:]).json, publicPath: "/", streamPath: "/__hmr", name: "",
                              heartbeat: 10_000, sync: sync, proxy: proxy).json
        }
        let plain = #"{"hash":"abc","modules":{},"publicPath":"/","path":"/__hmr","name":"","heartbeat":10000"#
        XCTAssertEqual(boot(sync: false, proxy: false), plain + "}")
        XCTAssertEqual(boot(sync: true, proxy: false), plain + #","sync":true}"#)
        XCTAssertEqual(boot(sync: false, proxy: true), plain + #","proxy":true}"#)
        XCTAssertEqual(boot(sync: true, proxy: true), plain + #","sync":true,"proxy":true}"#)
    }

    func testThePageBuildIsTakenFromTheQueryOnlyWhenItIsAHashAsHmrdWritesThem() {
        XCTAssertEqual(ClientScript.pageBuild(fromQuery: "build=0123456789abcdef"), "0123456789abcdef")
        XCTAssertEqual(ClientScript.pageBuild(fromQuery: "reload=false&build=0123456789abcdef&log=0"), "0123456789abcdef")
        XCTAssertNil(ClientScript.pageBuild(fromQuery: nil))
        XCTAssertNil(ClientScript.pageBuild(fromQuery: "reload=false"))
        XCTAssertNil(ClientScript.pageBuild(fromQuery: "build="))
        XCTAssertNil(ClientScript.pageBuild(fromQuery: "build=0123456789ABCDEF"))
        XCTAssertNil(ClientScript.pageBuild(fromQuery: "build=0123456789abcde"))
        XCTAssertNil(ClientScript.pageBuild(fromQuery: "build=0123456789abcdef0"))
        XCTAssertNil(ClientScript.pageBuild(fromQuery: "build=%3Cscript%3E456789ab"))
        XCTAssertNil(ClientScript.pageBuild(fromQuery: "rebuild=0123456789abcdef"))
    }

    func testThePageTagNamesThePagesBuildOnceThereIsOne() {
        XCTAssertEqual(String(decoding: ClientScript.tag(streamPath: "/__hmr", build: "00000000000000aa"), as: UTF8.self),
                       #"<script src="/__hmr/client.js?build=00000000000000aa"></script>"#)
        XCTAssertEqual(String(decoding: ClientScript.tag(streamPath: "/hot", build: ""), as: UTF8.self),
                       #"<script src="/hot/client.js"></script>"#)
    }
}

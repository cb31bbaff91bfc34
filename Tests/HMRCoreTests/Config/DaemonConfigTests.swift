import XCTest
@testable import HMRCore

final class DaemonConfigTests: XCTestCase {
    func testDefaultsAreTheDesignedOnes() throws {
        let c = DaemonConfig()
        XCTAssertEqual(c.port, 5757)
        XCTAssertEqual(c.host, "127.0.0.1")
        XCTAssertEqual(c.streamPath, "/__hmr")
        XCTAssertEqual(c.heartbeat, 10_000)
        XCTAssertEqual(c.debounce, 50)
        XCTAssertEqual(c.maxClients, 10_000)
        XCTAssertEqual(c.watchDirs, ["."])
        try c.validate()
    }

    func testOutputIsOutThenServeThenTheWatchedFolders() {
        XCTAssertEqual(DaemonConfig(watchDirs: ["src"], outDir: "dist", serveDir: "pub").outputDirs, ["dist"])
        XCTAssertEqual(DaemonConfig(watchDirs: ["src"], serveDir: "pub").outputDirs, ["pub"])
        XCTAssertEqual(DaemonConfig(watchDirs: ["a", "b"]).outputDirs, ["a", "b"])
        // --proxy: the other watched folders (templates) join --out under their names.
        var proxied = DaemonConfig(watchDirs: ["app/templates", "./app/static/", "app/static/css", "."], outDir: "app/static")
        proxied.proxy = ProxyTarget(host: "127.0.0.1", port: 8000)
        XCTAssertEqual(proxied.mapFolders.map { "\($0.dir):\($0.named)" },
                       ["app/static:false", "app/templates:true", ".:true"])
        proxied.outDir = nil
        XCTAssertEqual(proxied.mapFolders.map(\.named), [true, true, true, true])
    }

    func testTheOutDirOfABuildIsNotWatchedWhetherNamedByOutOrByServe() {
        XCTAssertEqual(DaemonConfig(buildCommand: "make", watchDirs: ["."], outDir: "dist", serveDir: "pub").unwatchedDirs,
                       ["dist"])
        XCTAssertEqual(DaemonConfig(buildCommand: "make", watchDirs: ["."], serveDir: "pub").unwatchedDirs, ["pub"])
        XCTAssertEqual(DaemonConfig(buildCommand: "make", watchDirs: ["."]).unwatchedDirs, [])
    }

    func testWithoutABuildTheOutputIsWatchedAsTheUserWritesIt() {
        XCTAssertEqual(DaemonConfig(watchDirs: ["."], serveDir: "pub").unwatchedDirs, [])
    }

    func testBadValuesAreRefusedNamingTheFlag() {
        let bad: [(DaemonConfig, String)] = [
            (DaemonConfig(port: 70_000), "--port"),
            (DaemonConfig(streamPath: "hmr"), "--path"),
            (DaemonConfig(streamPath: "/hmr/"), "--path"),
            (DaemonConfig(heartbeat: 10), "--heartbeat"),
            (DaemonConfig(buildCommand: "  "), "--build"),
            (DaemonConfig(publicPath: "static/"), "--public-path"),
            (DaemonConfig(maxClients: 0), "--max-clients"),
        ]
        for (config, flag) in bad {
            XCTAssertThrowsError(try config.validate()) { error in
                XCTAssertTrue("\(error)".hasPrefix(flag), "\(error)")
            }
        }
    }
}

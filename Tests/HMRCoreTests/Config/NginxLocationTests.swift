import XCTest
@testable import HMRCore

final class NginxLocationTests: XCTestCase {
    func testTheDefaultBlockIsExactlyThis() throws {
        XCTAssertEqual(try NginxLocation.text(for: DaemonConfig()), """
        # hmrd behind nginx: paste into your site's server { } block, and put
        # <script src="/__hmr/client.js"></script> in your pages.
        location ^~ /__hmr {
            # ^~ so that no regex location (one caching *.js, say) takes the client.
            proxy_pass http://127.0.0.1:5757;
            # Upstream HTTP/1.1 without "Connection: close", as suits a long-lived stream.
            proxy_http_version 1.1;
            proxy_set_header Connection '';
            # Sends "127.0.0.1:5757", a Host that hmrd's DNS-rebinding check accepts
            # whatever name the browser used.
            proxy_set_header Host $proxy_host;
            # Hand each event to the browser the moment hmrd writes it.
            proxy_buffering off;
            proxy_cache off;
            gzip off;
            # hmrd sends a heartbeat every 10s; a stream silent this long is dead.
            proxy_read_timeout 60s;
        }

        # The out dir's ES modules (under --public-path /) through hmrd, which
        # writes a version into each import so a change re-runs only what it touches.
        location ~ ^/.+\\.m?js$ {
            proxy_pass http://127.0.0.1:5757;
            proxy_http_version 1.1;
            proxy_set_header Connection '';
            proxy_set_header Host $proxy_host;
            # A script hmrd does not have (not in the out dir) is nginx's to serve.
            proxy_intercept_errors on;
            error_page 404 = @hmrd_files;
        }
        location @hmrd_files {
            try_files $uri =404;
        }

        """)
    }

    func testModulesUnderThePublicPathGoThroughHmrdWithItsDotsEscaped() throws {
        let text = try NginxLocation.text(for: DaemonConfig(publicPath: "/static.v2/js"))
        XCTAssertTrue(text.contains("\nlocation ~ ^/static\\.v2/js/.+\\.m?js$ {\n"), text)
        XCTAssertTrue(text.contains("(under --public-path /static.v2/js/)"))
    }

    func testAPublicPathThatIsAnotherOriginOrNotPlainRoutesNoModules() throws {
        for publicPath in ["http://cdn.example/assets/", "/a b/", "/x;y/"] {
            let text = try NginxLocation.text(for: DaemonConfig(publicPath: publicPath))
            XCTAssertFalse(text.contains("location ~"), publicPath)
            XCTAssertTrue(text.contains("# The out dir's ES modules are not routed through hmrd: --public-path \(publicPath)\n"))
        }
    }

    func testPortPathAndHeartbeatFollowTheDaemonsFlags() throws {
        let text = try NginxLocation.text(for: DaemonConfig(port: 6123, streamPath: "/dev/hot", heartbeat: 45_000))
        XCTAssertTrue(text.contains("<script src=\"/dev/hot/client.js\"></script> in your pages.\n"))
        XCTAssertTrue(text.contains("\nlocation ^~ /dev/hot {\n"))
        XCTAssertTrue(text.contains("\n    proxy_pass http://127.0.0.1:6123;\n"))
        XCTAssertTrue(text.contains("# Sends \"127.0.0.1:6123\", a Host"))
        XCTAssertTrue(text.contains("a heartbeat every 45s;"))
        XCTAssertTrue(text.contains("\n    proxy_read_timeout 135s;\n"))
    }

    func testTheReadTimeoutIsAtLeastAMinuteAndThreeHeartbeatsRoundedUp() {
        XCTAssertEqual(NginxLocation.readTimeoutSeconds(heartbeat: 100), 60)
        XCTAssertEqual(NginxLocation.readTimeoutSeconds(heartbeat: 10_000), 60)
        XCTAssertEqual(NginxLocation.readTimeoutSeconds(heartbeat: 20_000), 60)
        XCTAssertEqual(NginxLocation.readTimeoutSeconds(heartbeat: 20_001), 61)
        XCTAssertEqual(NginxLocation.readTimeoutSeconds(heartbeat: 120_000), 360)
    }

    func testWildcardListenAddressesAreReachedThroughLoopback() throws {
        XCTAssertEqual(try NginxLocation.upstreamHost("0.0.0.0"), "127.0.0.1")
        XCTAssertEqual(try NginxLocation.upstreamHost("::"), "[::1]")
        XCTAssertEqual(try NginxLocation.upstreamHost("[::]"), "[::1]")
    }

    func testOtherHostsAreKeptAndIPv6LiteralsBracketed() throws {
        XCTAssertEqual(try NginxLocation.upstreamHost("127.0.0.1"), "127.0.0.1")
        XCTAssertEqual(try NginxLocation.upstreamHost("localhost"), "localhost")
        XCTAssertEqual(try NginxLocation.upstreamHost("192.168.1.5"), "192.168.1.5")
        XCTAssertEqual(try NginxLocation.upstreamHost("::1"), "[::1]")
        let text = try NginxLocation.text(for: DaemonConfig(host: "::1"))
        XCTAssertTrue(text.contains("\n    proxy_pass http://[::1]:5757;\n"))
    }

    func testAHostThatIsNoAddressOrNameIsRefusedNamingTheFlag() {
        for bad in ["a;b", "my host", "", "host:80", "a/b", "{x}"] {
            XCTAssertThrowsError(try NginxLocation.text(for: DaemonConfig(host: bad)), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("--host "), "\(error)")
            }
        }
    }

    func testPortZeroIsRefusedBecauseNginxNeedsTheRealPort() {
        XCTAssertThrowsError(try NginxLocation.text(for: DaemonConfig(port: 0))) { error in
            XCTAssertTrue("\(error)".hasPrefix("--port 0 picks a free port"), "\(error)")
        }
    }

    func testValuesTheDaemonRefusesAreRefusedToo() {
        let bad: [(DaemonConfig, String)] = [
            (DaemonConfig(port: 70_000), "--port"),
            (DaemonConfig(streamPath: "hmr"), "--path"),
            (DaemonConfig(streamPath: "/hmr/"), "--path"),
            (DaemonConfig(heartbeat: 10), "--heartbeat"),
            (DaemonConfig(streamPath: "/a\nb"), "--path"),
            (DaemonConfig(streamPath: "/a\u{7f}"), "--path"),
        ]
        for (config, flag) in bad {
            XCTAssertThrowsError(try NginxLocation.text(for: config), flag) { error in
                XCTAssertTrue("\(error)".hasPrefix(flag), "\(error)")
            }
        }
    }

    func testAPathNginxWouldMisreadIsQuoted() throws {
        XCTAssertEqual(try NginxLocation.locationPath("/__hmr"), "/__hmr")
        XCTAssertEqual(try NginxLocation.locationPath("/a-b/c.d_e~"), "/a-b/c.d_e~")
        XCTAssertEqual(try NginxLocation.locationPath("/a;b"), "\"/a;b\"")
        XCTAssertEqual(try NginxLocation.locationPath("/{x}"), "\"/{x}\"")
        XCTAssertEqual(try NginxLocation.locationPath(#"/q"u\o"#), #""/q\"u\\o""#)
        XCTAssertEqual(try NginxLocation.locationPath("/héllo"), "\"/héllo\"")
    }
}

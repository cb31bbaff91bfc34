import XCTest
@testable import HMRCore

final class NginxProxyServerTests: XCTestCase {
    let backend = ProxyTarget(host: "127.0.0.1", port: 8000)

    func testTheDefaultServerIsExactlyThis() throws {
        XCTAssertEqual(try NginxProxyServer.text(for: DaemonConfig(), backend: backend), """
        # hmrd --proxy http://127.0.0.1:8000, carried out by nginx: a server { } for
        # nginx's http { } block (conf.d/ or sites-enabled/). Start hmrd without --proxy,
        # on port 5757, and open http://localhost:8080/: the backend's pages, with hmrd's
        # client in their HTML.
        server {
            listen 8080;

            # What each request to the backend carries, for "location /" and @hmrd_backend
            # (hmrd's locations set headers of their own, so they take none of these).
            # The browser's Host, so that the backend's links and redirects name this site.
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # Uncompressed HTML, which sub_filter can read.
            proxy_set_header Accept-Encoding "";
            # WebSocket upgrades pass through: the browser's own Upgrade and Connection
            # go on, so no map is needed in http { }.
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $http_connection;
            # A redirect to the backend's own origin stays on the site the browser asked.
            proxy_redirect http://127.0.0.1:8000/ $scheme://$http_host/;
            # Answers (event streams too) and uploads of any size pass as they come.
            proxy_buffering off;
            proxy_request_buffering off;
            client_max_body_size 0;
            # hmrd's client in each HTML answer (sub_filter_types is text/html by default),
            # once, before </body>; a page without </body> goes without.
            sub_filter '</body>' '<script src="/__hmr/client.js"></script></body>';
            sub_filter_once on;

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
                # A script hmrd does not have (not in the out dir) is the backend's to serve.
                proxy_intercept_errors on;
                error_page 404 = @hmrd_backend;
            }

            # Everything else is the backend's.
            location / {
                proxy_pass http://127.0.0.1:8000;
                # Unbuffered, nginx passes on one read at a time: 64 KiB reads moved a 50 MB
                # download twice as fast as its default 4 KiB here.
                proxy_buffer_size 64k;
                proxy_buffers 4 64k;
                # While the backend is down or restarting: a page that says so and tries again.
                error_page 502 504 = @hmrd_backend_down;
            }
            location @hmrd_backend {
                proxy_pass http://127.0.0.1:8000;
            }
            location @hmrd_backend_down {
                default_type text/html;
                return 502 '<!doctype html><meta http-equiv="refresh" content="1"><title>Backend not answering</title><p>The backend at http://127.0.0.1:8000 is not answering; this page tries again every second.';
            }
        }

        """)
    }

    func testHmrdsLocationsAreNginxLocationsIndentedWithTheBackendAsTheModulesFallback() throws {
        let config = DaemonConfig(port: 6123, streamPath: "/dev/hot", heartbeat: 45_000, publicPath: "/static")
        let text = try NginxProxyServer.text(for: config, backend: backend)
        let stream = try NginxLocation.streamBlock(for: config, upstream: "127.0.0.1:6123")
        XCTAssertTrue(text.contains(NginxProxyServer.indented(stream)), text)
        XCTAssertTrue(text.contains("\n    location ~ ^/static/.+\\.m?js$ {\n"))
        XCTAssertTrue(text.contains("\n        error_page 404 = @hmrd_backend;\n"))
        XCTAssertTrue(text.contains("is the backend's to serve."))
        XCTAssertFalse(text.contains("@hmrd_files"))
        XCTAssertTrue(text.contains("\n    sub_filter '</body>' '<script src=\"/dev/hot/client.js\"></script></body>';\n"))
        XCTAssertTrue(text.contains("Start hmrd without --proxy,\n# on port 6123,"))
    }

    func testABackendOnPort80IsNamedWithoutItsPort() throws {
        let text = try NginxProxyServer.text(for: DaemonConfig(), backend: ProxyTarget(host: "app.internal", port: 80))
        XCTAssertTrue(text.contains("\n        proxy_pass http://app.internal;\n"))
        XCTAssertTrue(text.contains("\n    proxy_redirect http://app.internal/ $scheme://$http_host/;\n"))
    }

    func testAnIPv6BackendKeepsItsBrackets() throws {
        let text = try NginxProxyServer.text(for: DaemonConfig(), backend: try ProxyTarget(parsing: "http://[::1]:8000/"))
        XCTAssertTrue(text.contains("\n        proxy_pass http://[::1]:8000;\n"))
        XCTAssertTrue(text.contains("\n    proxy_redirect http://[::1]:8000/ $scheme://$http_host/;\n"))
    }

    func testListenTakesAPortOrAnAddressAndPort() throws {
        let cases: [(String, String, String)] = [
            ("8080", "8080", "http://localhost:8080/"),
            ("80", "80", "http://localhost/"),
            ("127.0.0.1:9000", "127.0.0.1:9000", "http://127.0.0.1:9000/"),
            ("0.0.0.0:9000", "0.0.0.0:9000", "http://localhost:9000/"),
            ("[::]:9000", "[::]:9000", "http://localhost:9000/"),
            ("[::1]:9000", "[::1]:9000", "http://[::1]:9000/"),
            ("Dev.Local:8081", "dev.local:8081", "http://dev.local:8081/"),
        ]
        for (given, directive, site) in cases {
            let listen = try NginxProxyServer.listenAddress(given)
            XCTAssertEqual(listen.directive, directive, given)
            XCTAssertEqual(listen.site, site, given)
        }
        let text = try NginxProxyServer.text(for: DaemonConfig(), backend: backend, listen: "127.0.0.1:9000")
        XCTAssertTrue(text.contains("\nserver {\n    listen 127.0.0.1:9000;\n"))
        XCTAssertTrue(text.contains(" and open http://127.0.0.1:9000/: "))
    }

    func testABadListenIsRefusedNamingTheFlag() {
        for bad in ["", "0", "65536", "x", "127.0.0.1", "a;b:80", "host:", ":80", "1.2.3.4:0", "80 ssl"] {
            XCTAssertThrowsError(try NginxProxyServer.listenAddress(bad), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("--listen "), "\(error)")
            }
        }
    }

    func testAPathThatCannotGoIntoTheScriptTagAsItIsIsRefused() {
        for path in ["/a;b", "/x'y", "/$host", "/a\"b", "/a<b"] {
            XCTAssertThrowsError(try NginxProxyServer.text(for: DaemonConfig(streamPath: path), backend: backend),
                                 path) { error in
                XCTAssertTrue("\(error)".hasPrefix("--path goes into each page's script tag"), "\(error)")
            }
        }
    }

    func testTheDaemonsOwnRefusalsComeFirst() {
        XCTAssertThrowsError(try NginxProxyServer.text(for: DaemonConfig(port: 0), backend: backend)) { error in
            XCTAssertTrue("\(error)".hasPrefix("--port 0 picks a free port"), "\(error)")
        }
        XCTAssertThrowsError(try NginxProxyServer.text(for: DaemonConfig(heartbeat: 10), backend: backend)) { error in
            XCTAssertTrue("\(error)".hasPrefix("--heartbeat"), "\(error)")
        }
    }

    func testIndentingLeavesBlankLinesEmpty() {
        XCTAssertEqual(NginxProxyServer.indented("a {\n    b;\n}\n\nc\n"), "    a {\n        b;\n    }\n\n    c\n")
    }
}

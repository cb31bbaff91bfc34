// `hmrd --proxy URL` carried out by nginx: the whole `server { }` that
// `hmrd nginx-config --proxy URL` prints for people who already run nginx.
//
// hmrd's own locations are NginxLocation's, indented; every other request goes to the
// backend with the browser's Host, and its HTML comes back with the client's tag
// (sub_filter). What the backend's two locations share is set once at server level:
// hmrd's locations set headers of their own, so they inherit none of those. Each line
// was checked against a real nginx (Tests/integration/test_nginx_proxy.py).

public enum NginxProxyServer {
    /// Where nginx listens when `--listen` is not given: a usual port for a development site.
    public static let defaultListen = "8080"
    /// How often the page shown while the backend is down tries again, in seconds.
    static let retrySeconds = 1

    /// The server for a daemon started with `config`'s flags (but no --proxy), nginx
    /// listening at `listen` (a port, or address:port) and passing the rest to `backend`.
    public static func text(for config: DaemonConfig, backend: ProxyTarget,
                            listen: String = defaultListen) throws(ConfigError) -> String {
        let upstream = try NginxLocation.upstream(for: config)
        guard NginxLocation.isPlainPath(config.streamPath) else {
            throw ConfigError("--path goes into each page's script tag, so with --proxy it takes letters, "
                + "digits and / . _ ~ - only, not '\(TerminalText.safe(config.streamPath))'")
        }
        let (address, site) = try listenAddress(listen)
        let origin = backend.origin
        let locations = try NginxLocation.streamBlock(for: config, upstream: upstream) + "\n"
            + NginxLocation.modulesBlock(publicPath: config.publicPath, upstream: upstream,
                                         fallback: .named("@hmrd_backend", owner: "the backend"))
        return """
        # hmrd --proxy \(origin), carried out by nginx: a server { } for
        # nginx's http { } block (conf.d/ or sites-enabled/). Start hmrd without --proxy,
        # on port \(config.port), and open \(site): the backend's pages, with hmrd's
        # client in their HTML.
        server {
            listen \(address);

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
            proxy_redirect \(origin)/ $scheme://$http_host/;
            # Answers (event streams too) and uploads of any size pass as they come.
            proxy_buffering off;
            proxy_request_buffering off;
            client_max_body_size 0;
            # hmrd's client in each HTML answer (sub_filter_types is text/html by default),
            # once, before </body>; a page without </body> goes without.
            sub_filter '</body>' '<script src="\(config.streamPath)/client.js"></script></body>';
            sub_filter_once on;

        \(indented(locations))
            # Everything else is the backend's.
            location / {
                proxy_pass \(origin);
                # Unbuffered, nginx passes on one read at a time: 64 KiB reads moved a 50 MB
                # download twice as fast as its default 4 KiB here.
                proxy_buffer_size 64k;
                proxy_buffers 4 64k;
                # While the backend is down or restarting: a page that says so and tries again.
                error_page 502 504 = @hmrd_backend_down;
            }
            location @hmrd_backend {
                proxy_pass \(origin);
            }
            location @hmrd_backend_down {
                default_type text/html;
                return 502 '<!doctype html><meta http-equiv="refresh" content="\(retrySeconds)"><title>Backend not answering</title><p>The backend at \(origin) is not answering; this page tries again every second.';
            }
        }

        """
    }

    /// `--listen` as nginx's `listen` takes it, and the address to open in a browser:
    /// a port alone (every address of the machine), or `address:port`.
    static func listenAddress(_ text: String) throws(ConfigError) -> (directive: String, site: String) {
        let host: String?
        let port: String
        if !text.isEmpty, text.utf8.allSatisfy(ASCII.isDigit) {
            (host, port) = (nil, text)
        } else if let authority = Authority(parsing: text[...]), let given = authority.port {
            (host, port) = (authority.host, given)
        } else {
            throw ConfigError("--listen takes the port nginx listens on, or an address and port, "
                + "such as 8080 or 127.0.0.1:8080, not '\(TerminalText.safe(text))'")
        }
        guard let number = Int(port), (1...65_535).contains(number) else {
            throw ConfigError("--listen port must be 1 to 65535, not \(port)")
        }
        // A browser cannot open a wildcard address; the machine's own name reaches it.
        let name = host.flatMap { ["0.0.0.0", "[::]"].contains($0) ? nil : $0 } ?? "localhost"
        let directive = host.map { "\($0):\(number)" } ?? "\(number)"
        return (directive, "http://\(name)" + (number == 80 ? "" : ":\(number)") + "/")
    }

    /// Each non-empty line four spaces in, as a server's locations sit.
    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }
            .joined(separator: "\n")
    }
}

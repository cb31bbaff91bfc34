// The nginx `location` blocks that put hmrd's stream, client and status behind a
// site served by nginx, and send the out dir's ES modules through hmrd (so their
// imports carry versions), exactly as `hmrd nginx-config` prints them.
//
// It is generated from the daemon's own --host, --port, --path and --heartbeat so
// the block cannot drift from the daemon it points at, and every line carries a
// comment saying why it is there: people paste this and later wonder what they
// may drop. Each line was checked against a real nginx (Tests/integration/test_nginx.py).

public enum NginxLocation {
    /// nginx's default `proxy_read_timeout`; the block never sets less.
    static let minimumReadTimeout = 60_000
    /// Heartbeats a stream may miss before nginx gives up on it: one lost beat
    /// (a busy machine, a paused VM) must not cut every page's stream.
    static let heartbeatsPerReadTimeout = 3

    /// Where a script hmrd does not have goes instead: nginx's own files, or a named
    /// location the caller prints (the backend's, in NginxProxyServer).
    enum ModulesFallback {
        case files
        case named(String, owner: String)
    }

    /// The block for a daemon started with `config`'s host, port, path and heartbeat.
    public static func text(for config: DaemonConfig) throws(ConfigError) -> String {
        let upstream = try upstream(for: config)
        return """
        # hmrd behind nginx: paste into your site's server { } block, and put
        # <script src="\(config.streamPath)/client.js"></script> in your pages.

        """ + (try streamBlock(for: config, upstream: upstream)) + "\n"
            + modulesBlock(publicPath: config.publicPath, upstream: upstream, fallback: .files)
    }

    /// `host:port` of the daemon `config` describes, once its values pass the daemon's checks.
    static func upstream(for config: DaemonConfig) throws(ConfigError) -> String {
        try config.validate()
        guard config.port != 0 else {
            throw ConfigError("--port 0 picks a free port at start; give nginx-config the port hmrd listens on, such as --port 5757")
        }
        return try upstreamHost(config.host) + ":\(config.port)"
    }

    /// The location of the stream, the client, status and reports.
    static func streamBlock(for config: DaemonConfig, upstream: String) throws(ConfigError) -> String {
        let heartbeat = DurationParser.format(milliseconds: config.heartbeat)
        return """
        location ^~ \(try locationPath(config.streamPath)) {
            # ^~ so that no regex location (one caching *.js, say) takes the client.
            proxy_pass http://\(upstream);
            # Upstream HTTP/1.1 without "Connection: close", as suits a long-lived stream.
            proxy_http_version 1.1;
            proxy_set_header Connection '';
            # Sends "\(upstream)", a Host that hmrd's DNS-rebinding check accepts
            # whatever name the browser used.
            proxy_set_header Host $proxy_host;
            # Hand each event to the browser the moment hmrd writes it.
            proxy_buffering off;
            proxy_cache off;
            gzip off;
            # hmrd sends a heartbeat every \(heartbeat); a stream silent this long is dead.
            proxy_read_timeout \(readTimeoutSeconds(heartbeat: config.heartbeat))s;
        }

        """
    }

    /// The location that sends `.js`/`.mjs` under --public-path through hmrd, which
    /// serves the out dir's modules with versioned imports (hot module replacement);
    /// a file hmrd does not have (404) goes to `fallback`: nginx's root as before, or the backend.
    static func modulesBlock(publicPath: String, upstream: String, fallback: ModulesFallback) -> String {
        guard publicPath.hasPrefix("/"), isPlainPath(publicPath) else {
            return """
            # The out dir's ES modules are not routed through hmrd: --public-path \(publicPath)
            # is not a plain path on this site, so hot module replacement needs your own location.

            """
        }
        let prefix = publicPath.hasSuffix("/") ? publicPath : publicPath + "/"
        // In a regex, of the plain path bytes only "." means something else.
        let pattern = "^" + prefix.map { $0 == "." ? "\\." : String($0) }.joined() + ".+\\.m?js$"
        let (named, owner, ownLocation): (String, String, String)
        switch fallback {
        case .files:
            (named, owner, ownLocation) = ("@hmrd_files", "nginx", """
                location @hmrd_files {
                    try_files $uri =404;
                }

                """)
        case let .named(name, owner: who):
            (named, owner, ownLocation) = (name, who, "")
        }
        return """
        # The out dir's ES modules (under --public-path \(prefix)) through hmrd, which
        # writes a version into each import so a change re-runs only what it touches.
        location ~ \(pattern) {
            proxy_pass http://\(upstream);
            proxy_http_version 1.1;
            proxy_set_header Connection '';
            proxy_set_header Host $proxy_host;
            # A script hmrd does not have (not in the out dir) is \(owner)'s to serve.
            proxy_intercept_errors on;
            error_page 404 = \(named);
        }

        """ + ownLocation
    }

    /// Whole seconds: max(60 s, three heartbeats), rounded up.
    static func readTimeoutSeconds(heartbeat: Int) -> Int {
        let ms = max(minimumReadTimeout, heartbeatsPerReadTimeout * heartbeat)
        return (ms + 999) / 1_000
    }

    /// Where nginx connects: a wildcard listen address accepts connections on
    /// loopback too, and connecting to a wildcard is not portable.
    static func upstreamHost(_ host: String) throws(ConfigError) -> String {
        switch host {
        case "0.0.0.0": return "127.0.0.1"
        case "::", "[::]": return "[::1]"
        default: break
        }
        let bracketed = HostAllowList.bracketed(host)
        guard let authority = Authority(parsing: bracketed[...]), authority.port == nil else {
            throw ConfigError("--host must be an address or a host name, such as 127.0.0.1, not '\(host)'")
        }
        return bracketed
    }

    /// The path as an nginx token: bare when plain, else double-quoted, so a `;`,
    /// `{` or quote in --path cannot end the directive early.
    static func locationPath(_ path: String) throws(ConfigError) -> String {
        if path.utf8.contains(where: { $0 < ASCII.space || $0 == ASCII.delete }) {
            throw ConfigError("--path must not contain control characters")
        }
        if isPlainPath(path) { return path }
        var quoted = "\""
        for character in path {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// Letters, digits and `/ . _ ~ -`: a path nginx, a regex and an HTML attribute all
    /// take as it is.
    static func isPlainPath(_ path: String) -> Bool {
        path.utf8.allSatisfy(isPlainPathByte)
    }

    private static func isPlainPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}

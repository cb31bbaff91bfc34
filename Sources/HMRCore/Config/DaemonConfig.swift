// Everything the daemon was asked to do, validated and with defaults filled in.
//
// The command line turns flags into this; nothing below the command line sees a flag.

public struct DaemonConfig: Sendable {
    public var buildCommand: String?
    /// Watched folders as given (for display and trigger paths) — never empty.
    public var watchDirs: [String]
    /// The out dir as given, or nil when the watched folders are the output.
    public var outDir: String?
    public var serveDir: String?
    public var host: String
    public var port: Int
    public var streamPath: String
    public var heartbeat: Int
    public var debounce: Int
    public var ignore: [String]
    public var onBusy: BusyPolicy
    public var buildTimeout: Int?
    public var name: String
    public var publicPath: String
    public var allowHosts: [String]
    public var allowOrigins: [String]
    public var maxClients: Int
    /// Poll the watched folders every this many ms instead of using inotify; nil uses inotify.
    public var poll: Int?
    /// What the terminal is told and how: --quiet, --verbose, --log-format.
    public var log: LogSettings
    /// --sync: pages mirror each other's scrolls, clicks, input and navigation (ghost sync).
    public var sync = false
    /// --proxy: the backend that answers what hmrd does not, its HTML given the client's tag.
    public var proxy: ProxyTarget?

    public static let defaultPort = 5757
    public static let defaultHost = "127.0.0.1"
    public static let defaultStreamPath = "/__hmr"
    public static let defaultHeartbeat = 10_000
    public static let defaultDebounce = 50
    public static let defaultMaxClients = 10_000
    /// The shortest --poll: each poll walks the whole tree, so a shorter one buys
    /// little over the 50 ms debounce and costs a walk each time.
    public static let minimumPoll = 50

    public init(buildCommand: String? = nil, watchDirs: [String] = ["."], outDir: String? = nil,
                serveDir: String? = nil, host: String = DaemonConfig.defaultHost,
                port: Int = DaemonConfig.defaultPort, streamPath: String = DaemonConfig.defaultStreamPath,
                heartbeat: Int = DaemonConfig.defaultHeartbeat, debounce: Int = DaemonConfig.defaultDebounce,
                ignore: [String] = [], onBusy: BusyPolicy = .queue, buildTimeout: Int? = nil,
                name: String = "", publicPath: String = "/", allowHosts: [String] = [],
                allowOrigins: [String] = [], maxClients: Int = DaemonConfig.defaultMaxClients,
                poll: Int? = nil, log: LogSettings = LogSettings()) {
        self.buildCommand = buildCommand
        self.watchDirs = watchDirs
        self.outDir = outDir
        self.serveDir = serveDir
        self.host = host
        self.port = port
        self.streamPath = streamPath
        self.heartbeat = heartbeat
        self.debounce = debounce
        self.ignore = ignore
        self.onBusy = onBusy
        self.buildTimeout = buildTimeout
        self.name = name
        self.publicPath = publicPath
        self.allowHosts = allowHosts
        self.allowOrigins = allowOrigins
        self.maxClients = maxClients
        self.poll = poll
        self.log = log
    }

    /// The folders whose files form the module map (mapFolders).
    public var outputDirs: [String] { mapFolders.map(\.dir) }

    /// The folders whose files form the module map, and whether their keys start with the
    /// folder's name (they do when there are several). With --proxy and --out, the other
    /// watched folders join the out dir under their names: a template the backend renders
    /// is none of a page's URLs, so its change makes pages fetch themselves again
    /// (client/src/refetch.js) instead of leaving the map, and the pages, as they were.
    public var mapFolders: [(dir: String, named: Bool)] {
        guard let out = outDir ?? serveDir else {
            return watchDirs.map { ($0, watchDirs.count > 1) }
        }
        guard proxy != nil else { return [(out, false)] }
        let outPath = DaemonConfig.plain(out)
        let others = watchDirs.filter { dir in
            let path = DaemonConfig.plain(dir)
            return path != outPath && !path.hasPrefix(outPath + "/")
        }
        return [(out, false)] + others.map { ($0, true) }
    }

    /// A folder as given, without `./` in front or `/` behind, for comparing.
    static func plain(_ dir: String) -> String {
        var path = dir
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty ? "." : path
    }

    /// The folders the watcher leaves alone: with a build, the out dir is the build's to write,
    /// whether given as `--out` or as `--serve`, so its writes never start another build.
    /// Without one the user writes the output, so it is watched (it may be all there is).
    public var unwatchedDirs: [String] {
        guard buildCommand != nil, let dir = outDir ?? serveDir else { return [] }
        return [dir]
    }

    /// Checks values the flag parser cannot; the message is the one line shown to the user.
    public func validate() throws(ConfigError) {
        guard (0...65_535).contains(port) else { throw ConfigError("--port must be 0 to 65535, not \(port)") }
        guard streamPath.hasPrefix("/"), !streamPath.hasSuffix("/"), !streamPath.contains("?"),
              !streamPath.contains("#"), !streamPath.contains(" ") else {
            throw ConfigError("--path must start with / and not end with / (such as /__hmr), not '\(streamPath)'")
        }
        guard heartbeat >= 100 else { throw ConfigError("--heartbeat must be at least 100ms") }
        guard maxClients >= 1 else { throw ConfigError("--max-clients must be at least 1") }
        if let t = buildTimeout, t < 1 { throw ConfigError("--build-timeout must be more than 0") }
        if let p = poll, p < DaemonConfig.minimumPoll {
            throw ConfigError("--poll must be at least \(DaemonConfig.minimumPoll)ms, not \(DurationParser.format(milliseconds: p))")
        }
        guard !watchDirs.isEmpty else { throw ConfigError("--watch needs a folder") }
        if let c = buildCommand, c.allSatisfy({ $0 == " " || $0 == "\t" }) {
            throw ConfigError("--build needs a command, such as --build \"make\"")
        }
        if proxy != nil, serveDir != nil {
            throw ConfigError("--proxy and --serve exclude each other: the backend serves the pages, "
                + "or hmrd does from a folder; use --out to name the static folder the backend serves")
        }
        guard publicPath.hasPrefix("/") || publicPath.hasPrefix("http://") || publicPath.hasPrefix("https://") else {
            throw ConfigError("--public-path must start with / or http(s)://, not '\(publicPath)'")
        }
    }
}

public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

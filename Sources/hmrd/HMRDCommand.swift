// The command line: flags exactly as DESIGN.md names them, turned into a DaemonConfig.

import ArgumentParser
import HMRCore
import HMRLoop

struct HMRDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hmrd",
        abstract: "Hot updates for any build: watch, build, and push the result to every open page.",
        // Spelled out: the generated one would read as if a subcommand were required.
        usage: """
        hmrd <options>
        hmrd status [--host <addr>] [--port <n>] [--path <p>] [--json]
        hmrd wait [--host <addr>] [--port <n>] [--path <p>] [--timeout <dur>]
        hmrd nginx-config [--host <addr>] [--port <n>] [--path <p>] [--heartbeat <dur>]
        """,
        discussion: """
        Pages include <script src="http://127.0.0.1:5757/__hmr/client.js"></script> and stay current: \
        changed stylesheets and images are swapped in place, modules that call hmr.accept are \
        re-imported, anything else the page uses reloads it, and build errors show in an overlay.

        Examples:
          hmrd --build "make" --watch src --out dist
          hmrd --watch public --serve public
          hmrd --build "make" --watch src --quiet --log-format json
          hmrd status                      # state and last build of a running hmrd
          hmrd wait && make test           # after the next build, test if it passed
          hmrd nginx-config --port 5757    # prints the nginx location block
        """,
        version: "hmrd \(HMRVersion.string) (libuv \(EventLoop.libuvVersion))",
        // The daemon is the root command itself: `hmrd --build …` needs no subcommand.
        subcommands: [StatusCommand.self, WaitCommand.self, NginxConfigCommand.self])

    @Option(name: .customLong("build"), help: ArgumentHelp("Run `/bin/sh -c CMD` at start and after each batch of changes; omit for watch-only.", valueName: "cmd"))
    var build: String?

    @Option(name: .customLong("watch"), help: ArgumentHelp("Watch DIR recursively; repeatable. (default: .)", valueName: "dir"))
    var watch: [String] = []

    @Option(name: .customLong("out"), help: ArgumentHelp("The build's output folder; its files form the module map. (default: --serve dir, else the watched dirs)", valueName: "dir"))
    var out: String?

    @Option(name: .customLong("serve"), help: ArgumentHelp("Also serve DIR as static files, with the client injected into HTML.", valueName: "dir"))
    var serve: String?

    // Shared with `nginx-config`, which argument-parser hands the values parsed here.
    @OptionGroup var listen: ListenOptions

    @Option(name: .customLong("debounce"), help: ArgumentHelp("Quiet time after the last change before a build starts.", valueName: "dur"))
    var debounce: String = "50ms"

    @Option(name: .customLong("ignore"), help: ArgumentHelp("Paths to ignore (glob); repeatable. VCS dirs, editor temp files and the out dir are always ignored.", valueName: "glob"))
    var ignore: [String] = []

    @Option(name: .customLong("poll"), help: ArgumentHelp("Poll the watched folders every DUR instead of using inotify: for Docker bind mounts, WSL and network file systems.", valueName: "dur"))
    var poll: String?

    @Option(name: .customLong("on-busy"), help: ArgumentHelp("A change during a build: queue one more run after it, or restart it.", valueName: "queue|restart"))
    var onBusy: String = BusyPolicy.queue.rawValue

    @Option(name: .customLong("build-timeout"), help: ArgumentHelp("Stop a build that runs longer (TERM its process group, then KILL).", valueName: "dur"))
    var buildTimeout: String?

    @Option(name: .customLong("name"), help: ArgumentHelp("Bundle name carried in payloads.", valueName: "name"))
    var name: String = ""

    @Option(name: .customLong("public-path"), help: ArgumentHelp("URL prefix under which the out dir is served to pages.", valueName: "p"))
    var publicPath: String = "/"

    @Option(name: .customLong("allow-host"), help: ArgumentHelp("Extra Host header value to accept; repeatable. (default: loopback names only)", valueName: "host"))
    var allowHost: [String] = []

    @Option(name: .customLong("allow-origin"), help: ArgumentHelp("Extra Origin allowed cross-origin (CORS); repeatable. (default: loopback origins only)", valueName: "origin"))
    var allowOrigin: [String] = []

    @Option(name: .customLong("max-clients"), help: ArgumentHelp("Open event streams before new ones get 503.", valueName: "n"))
    var maxClients: Int = DaemonConfig.defaultMaxClients

    @OptionGroup var logging: LogOptions

    func makeConfig() throws -> DaemonConfig {
        guard let busy = BusyPolicy(rawValue: onBusy) else {
            throw ConfigError("--on-busy must be queue or restart, not '\(onBusy)'")
        }
        let config = DaemonConfig(
            buildCommand: build, watchDirs: watch.isEmpty ? ["."] : watch, outDir: out, serveDir: serve,
            host: listen.host, port: listen.port, streamPath: listen.path,
            heartbeat: try listen.heartbeatMilliseconds(),
            debounce: try Self.duration(debounce, flag: "--debounce"),
            ignore: ignore, onBusy: busy,
            buildTimeout: try buildTimeout.map { try Self.duration($0, flag: "--build-timeout") },
            name: name, publicPath: publicPath, allowHosts: allowHost, allowOrigins: allowOrigin,
            maxClients: maxClients,
            poll: try poll.map { try Self.duration($0, flag: "--poll") },
            log: try logging.settings())
        try config.validate()
        return config
    }

    /// A DUR flag's value in milliseconds; the message names the flag.
    static func duration(_ text: String, flag: String) throws(ConfigError) -> Int {
        do {
            return try DurationParser.milliseconds(text)
        } catch {
            throw ConfigError("\(flag): \(error)")
        }
    }
}

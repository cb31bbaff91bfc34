// The command line: flags exactly as DESIGN.md names them, turned into a DaemonConfig;
// the root command is the daemon, and run() starts it and runs the loop until it stops.

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
        hmrd nginx-config [--host <addr>] [--port <n>] [--path <p>] [--heartbeat <dur>] [--public-path <p>] [--proxy <url> [--listen <port>]]
        """,
        discussion: """
        Pages include <script src="http://127.0.0.1:5757/__hmr/client.js"></script> and stay current: \
        changed stylesheets and images are swapped in place, ES modules are replaced where \
        import.meta.hot (or hmr.accept) accepts them, the page's own HTML is patched in place, \
        anything else the page uses reloads it, and build errors show in an overlay.

        DUR is 250ms, 10s or 2m; a bare number is milliseconds.

        Examples:
          hmrd --build "make" --watch src --out dist --serve dist
              make writes dist/; open http://localhost:5757/ and edit src/.
          hmrd --build "sassc scss/site.scss public/site.css" --watch scss --out public
              a CSS preprocessor; your own server serves public/ with the tag above.
          hmrd --watch public
              no build: nginx serves public/ (hmrd nginx-config), hmrd pushes changes.
          hmrd wait && make test
              after the next build, run the tests if it succeeded.
        """,
        version: "hmrd \(HMRVersion.string) (libuv \(EventLoop.libuvVersion))",
        // The daemon is the root command itself: `hmrd --build …` needs no subcommand.
        subcommands: [StatusCommand.self, WaitCommand.self, NginxConfigCommand.self])

    @OptionGroup(title: "Watching and building") var building: BuildOptions
    @OptionGroup(title: "Pages") var pages: PageOptions
    // Shared with the subcommands, which argument-parser hands the values parsed here.
    @OptionGroup(title: "Listening") var listen: ListenOptions
    @OptionGroup(title: "Who may connect") var access: AccessOptions
    @OptionGroup(title: "Terminal") var logging: LogOptions

    /// Starts the daemon and runs the loop until a signal stops it; returns after a clean stop.
    func run() throws {
        let config: DaemonConfig
        do {
            config = try makeConfig()
        } catch {
            throw badFlag("\(error)")
        }
        let loop: EventLoop
        do {
            loop = try EventLoop()
        } catch {
            throw failure("cannot start the event loop: \(error)")
        }
        let daemon = Daemon(config: config, loop: loop)
        do {
            try daemon.start()
        } catch {
            // Exit here rather than throw: what start() opened before failing is still on
            // the loop, and only the process's end frees it. Unwinding would drop the last
            // references to the loop first, which LeakSanitizer reports as a leak.
            withExtendedLifetime((loop, daemon)) { Self.exit(withError: failure(error.message)) }
        }
        loop.run()
        _ = loop.close()
    }

    func makeConfig() throws -> DaemonConfig {
        let b = building
        guard let busy = BusyPolicy(rawValue: b.onBusy) else {
            throw ConfigError("--on-busy must be queue or restart, not '\(b.onBusy)'")
        }
        let config = DaemonConfig(
            buildCommand: b.build, watchDirs: b.watch.isEmpty ? ["."] : b.watch, outDir: b.out, serveDir: pages.serve,
            host: listen.host, port: listen.port, streamPath: listen.path,
            heartbeat: try listen.heartbeatMilliseconds(),
            debounce: try Self.duration(b.debounce, flag: "--debounce"),
            ignore: b.ignore, onBusy: busy,
            buildTimeout: try b.buildTimeout.map { try Self.duration($0, flag: "--build-timeout") },
            name: pages.name, publicPath: pages.publicPath, allowHosts: access.allowHost,
            allowOrigins: access.allowOrigin, maxClients: access.maxClients,
            poll: try b.poll.map { try Self.duration($0, flag: "--poll") },
            log: try logging.settings())
        var synced = config
        synced.sync = pages.sync
        synced.proxy = try pages.proxy.map { (url) throws(ConfigError) in try ProxyTarget(parsing: url) }
        try synced.validate()
        return synced
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

// `hmrd nginx-config`: prints the nginx `location` blocks for a daemon started with
// the same --host, --port, --path, --heartbeat and --public-path; with --proxy URL, a
// whole nginx `server { }` that does what `hmrd --proxy URL` does.
//
// Wiring only: the text comes from HMRCore's NginxLocation and NginxProxyServer, which
// are tested byte for byte. The daemon's other flags are accepted and ignored, so
// adding the word `nginx-config` to the command line you already use prints the
// matching block (--proxy included: it is a group shared with the daemon).

import ArgumentParser
import HMRCore

struct NginxConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nginx-config",
        abstract: "Print the nginx location blocks that proxy the stream, client, status and ES modules to hmrd.",
        discussion: """
        Give it the --host, --port, --path, --heartbeat and --public-path you start hmrd with; \
        paste the output into your site's server block and put \
        <script src="/__hmr/client.js"></script> in your pages. The out dir's .js and .mjs \
        files under --public-path go through hmrd, which versions their imports for hot \
        module replacement; nginx serves any it does not have.

        With --proxy URL it prints a whole server block instead, for nginx's http block: \
        nginx listens on --listen and does what hmrd --proxy URL would, passing every \
        request but hmrd's own to the backend at URL and adding the client's tag to its \
        HTML. Start hmrd itself without --proxy.

        Examples:
          hmrd nginx-config --port 5757 > /etc/nginx/snippets/hmrd.conf
          (then "include snippets/hmrd.conf;" inside the server block)
          hmrd nginx-config --proxy http://127.0.0.1:8000 > /etc/nginx/conf.d/dev.conf
          (then open http://localhost:8080/)
        """)

    @OptionGroup var listen: ListenOptions
    @OptionGroup var page: PublicPathOption
    @OptionGroup var proxy: ProxyOption

    @Option(name: .customLong("listen"), help: ArgumentHelp("With --proxy: the port nginx listens on, or address:port. (default: \(NginxProxyServer.defaultListen))", valueName: "port"))
    var nginxListen: String?

    /// The blocks, or the one-line reason a value cannot make them.
    func configText() throws(ConfigError) -> String {
        let config = DaemonConfig(host: listen.host, port: listen.port, streamPath: listen.path,
                                  heartbeat: try listen.heartbeatMilliseconds(), publicPath: page.publicPath)
        guard let url = proxy.proxy else {
            if nginxListen != nil {
                throw ConfigError("--listen is where nginx takes the site's requests with --proxy URL; "
                    + "without it, paste the blocks into your own server { }, which has its own listen")
            }
            return try NginxLocation.text(for: config)
        }
        return try NginxProxyServer.text(for: config, backend: try ProxyTarget(parsing: url),
                                         listen: nginxListen ?? NginxProxyServer.defaultListen)
    }

    func run() throws {
        let text: String
        do {
            text = try configText()
        } catch {
            throw badFlag("\(error)")
        }
        print(text, terminator: "")
    }
}

// `hmrd nginx-config`: prints the nginx `location` blocks for a daemon started with
// the same --host, --port, --path, --heartbeat and --public-path.
//
// Wiring only: the text comes from HMRCore's NginxLocation, which is tested byte
// for byte. The daemon's other flags are accepted and ignored, so adding the word
// `nginx-config` to the command line you already use prints the matching block.

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

        Example:
          hmrd nginx-config --port 5757 > /etc/nginx/snippets/hmrd.conf
          (then "include snippets/hmrd.conf;" inside the server block)
        """)

    @OptionGroup var listen: ListenOptions
    @OptionGroup var page: PublicPathOption

    /// The block, or the one-line reason a value cannot make one.
    func locationBlock() throws(ConfigError) -> String {
        let config = DaemonConfig(host: listen.host, port: listen.port, streamPath: listen.path,
                                  heartbeat: try listen.heartbeatMilliseconds(), publicPath: page.publicPath)
        return try NginxLocation.text(for: config)
    }

    func run() throws {
        let block: String
        do {
            block = try locationBlock()
        } catch {
            throw badFlag("\(error)")
        }
        print(block, terminator: "")
    }
}

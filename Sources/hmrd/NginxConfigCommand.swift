// `hmrd nginx-config`: prints the nginx `location` block for a daemon started with
// the same --host, --port, --path and --heartbeat.
//
// Wiring only: the text comes from HMRCore's NginxLocation, which is tested byte
// for byte. The daemon's other flags are accepted and ignored, so adding the word
// `nginx-config` to the command line you already use prints the matching block.

import ArgumentParser
import HMRCore

struct NginxConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nginx-config",
        abstract: "Print the nginx location block that proxies the stream, client and status to hmrd.",
        discussion: """
        Give it the --host, --port, --path and --heartbeat you start hmrd with; paste the \
        output into your site's server block and put <script src="/__hmr/client.js"></script> \
        in your pages.

        Example:
          hmrd nginx-config --port 5757 > /etc/nginx/snippets/hmrd.conf
          (then "include snippets/hmrd.conf;" inside the server block)
        """)

    @OptionGroup var listen: ListenOptions

    /// The block, or the one-line reason a value cannot make one.
    func locationBlock() throws(ConfigError) -> String {
        let config = DaemonConfig(host: listen.host, port: listen.port, streamPath: listen.path,
                                  heartbeat: try listen.heartbeatMilliseconds())
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

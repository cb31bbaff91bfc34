// `hmrd status`: asks a running daemon for GET <path>/status and prints it, for a
// person (aligned lines, HMRCore's StatusSummary) or, with --json, as sent.
//
// Exit 0 when the daemon answered, 1 with one line naming host:port when nothing
// (or something else) answers there, 2 for a bad flag.

import ArgumentParser
import Glibc
import HMRCore
import HMRLoop

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print the state of a running hmrd: idle or building, hash, last build, clients, uptime.",
        discussion: """
        Give it the --host, --port and --path you started hmrd with (--heartbeat is \
        accepted and ignored). Exits 0 if hmrd answered, 1 if nothing (or something \
        else) listens there.

        Examples:
          hmrd status --port 5757
          hmrd status --json | jq .lastBuild.ok
        """)

    @OptionGroup var listen: ListenOptions

    @Flag(name: .customLong("json"), help: "Print the status JSON exactly as hmrd sent it.")
    var json = false

    /// A daemon answers its status at once; this only bounds a wrong port that never answers.
    static let answerTimeout = 5_000

    /// Prints the status, or one line and exit code 1 when no hmrd answers there.
    func run() throws {
        let address = DaemonAddress(listen)
        do {
            try address.validate()
            try DaemonConfig(host: listen.host, port: address.port, streamPath: listen.path).validate()
        } catch {
            throw badFlag("\(error)")
        }
        let target = listen.path + "/status"
        let deadline = monotonicMilliseconds() + StatusCommand.answerTimeout
        let body: [UInt8]
        do {
            guard var response = try DaemonClient.get(address, path: target, accept: "application/json",
                                                      deadline: deadline) else {
                throw failure("\(address.authority) answered GET \(target) with something other than HTTP: not hmrd")
            }
            guard response.head.status == 200 else {
                throw failure("\(address.authority) answered GET \(target) with \(response.head.status): "
                              + "not hmrd, or started with another --path")
            }
            body = try response.readBody(deadline: deadline)
        } catch let reach as ReachFailure {
            throw failure(address.describe(reach, waitedMs: StatusCommand.answerTimeout))
        }
        let text = String(decoding: body, as: UTF8.self)
        let report: StatusReport
        do {
            report = try StatusReport(json: text)
        } catch {
            throw failure("\(address.authority) answered GET \(target), but not with hmrd's status (\(error))")
        }
        printOut(json ? text : StatusSummary.text(report, url: address.url, streamPath: listen.path))
    }
}

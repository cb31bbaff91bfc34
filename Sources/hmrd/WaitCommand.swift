// `hmrd wait`: blocks until a running daemon's next build finishes, and exits with
// its result — 0 if it succeeded, 1 if it failed (its output tail and reason on
// stderr), 124 when --timeout passes first (as timeout(1) does), 2 for a bad flag.
// With --applied it then waits for every open page to show that build (AppliedCheck
// over `/status` `pages`): 1 names the pages that failed to apply it.
//
// It reads the event stream like a page does: the `sync` frame first, then the
// first `built` after it is the end of the build running at connect (the stream
// replays its `building` frame) or of the next one. HMRCore's SSEParser and
// BuildWaiter do the reading; this file only moves bytes.

import ArgumentParser
import Glibc
import HMRCore
import HMRLoop

struct WaitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait for a running hmrd's next build to finish; exit 0 if it succeeded, 1 if it failed.",
        discussion: """
        A build under way when it connects counts as the next one. Give it the --host, \
        --port and --path you started hmrd with (--heartbeat is accepted and ignored). \
        Exit codes: 0 the build succeeded, 1 it failed (its output tail is printed) or \
        hmrd cannot be reached, 124 --timeout passed, 2 a bad flag.

        With --applied it then waits until every open page that includes the client has \
        applied the build or reloaded into it, as the pages report (exit 1 naming the pages \
        that failed to apply it).

        Examples:
          hmrd wait && make test
          hmrd wait --timeout 2m
          hmrd wait --applied --timeout 30s && npx playwright test
        """)

    @OptionGroup var listen: ListenOptions

    @Flag(name: .customLong("applied"), help: "Then wait until every open page shows the build (exit 1 naming those that failed).")
    var applied = false

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Give up after DUR and exit 124. (default: wait as long as it takes)", valueName: "dur"))
    var timeout: String?

    /// The exit code of timeout(1), which scripts already know.
    static let timedOut = ExitCode(124)
    /// How long connecting may take when no --timeout bounds it: a daemon accepts at once.
    static let connectTimeout = 5_000

    /// Returns when the build succeeded; throws its exit code otherwise, its line printed.
    func run() throws {
        let address = DaemonAddress(listen)
        let limit: Int?
        do {
            try address.validate()
            try DaemonConfig(host: listen.host, port: address.port, streamPath: listen.path).validate()
            limit = try timeout.map { try HMRDCommand.duration($0, flag: "--timeout") }
            if limit == 0 { throw ConfigError("--timeout must be more than 0") }
        } catch {
            throw badFlag("\(error)")
        }
        let start = monotonicMilliseconds()
        let deadline = limit.map { start + $0 }
        let connectBy = min(deadline ?? Int.max, start + WaitCommand.connectTimeout)
        do {
            guard let response = try DaemonClient.get(address, path: listen.path, accept: "text/event-stream",
                                                      deadline: connectBy) else {
                throw failure("\(address.authority) answered GET \(listen.path) with something other than HTTP: not hmrd")
            }
            guard response.head.status == 200,
                  response.head.value(of: "Content-Type")?.hasPrefix("text/event-stream") == true else {
                throw failure("\(address.authority) answered GET \(listen.path) with \(response.head.status), "
                              + "not an event stream: not hmrd, or started with another --path")
            }
            try follow(response, address: address, deadline: deadline)
        } catch ReachFailure.timedOut where deadline != nil && monotonicMilliseconds() >= deadline! {
            throw failure("no build finished within \(timeout!) (--timeout)", code: WaitCommand.timedOut)
        } catch let pending as PagesPending where pending.pages.isEmpty {
            throw failure("the build finished, but the daemon's pages were not read within \(timeout!) (--timeout)",
                          code: WaitCommand.timedOut)
        } catch let pending as PagesPending {
            throw failure("not every page applied the build within \(timeout!) (--timeout); waiting for:\n"
                          + pending.pages.map { "  " + AppliedCheck.describe($0) }.joined(separator: "\n"),
                          code: WaitCommand.timedOut)
        } catch let reach as ReachFailure {
            throw failure(address.describe(reach, waitedMs: connectBy - start))
        }
    }

    /// Reads the stream until the build ends: returns if it succeeded, throws exit code 1 if not.
    private func follow(_ response: DaemonResponse, address: DaemonAddress, deadline: Int?) throws {
        var parser = SSEParser()
        var waiter = BuildWaiter()
        var bytes = response.body
        while true {
            for event in parser.feed(bytes) {
                guard let build = waiter.handle(data: event.data) else { continue }
                if build.succeeded {
                    printOut(build.summary + "\n")
                    if applied { try waitForPages(build.hash, address: address, deadline: deadline) }
                    return
                }
                // The build's own words first (colours kept, as the daemon echoed them), then ours.
                writeAll(build.failureText, to: 2)
                throw failure("build failed in \(build.milliseconds)ms")
            }
            bytes = try response.socket.receive(deadline: deadline)
            if bytes.isEmpty {
                throw failure("the daemon on \(address.authority) stopped before a build finished")
            }
        }
    }

    /// How often the daemon's pages are looked at while some are not there yet.
    static let pagesPollMs = 50

    /// Pages still behind when --timeout came.
    struct PagesPending: Error { let pages: [PageTable.Page] }

    /// Until every open page shows `hash` (or a newer build the daemon published meanwhile).
    private func waitForPages(_ hash: String, address: DaemonAddress, deadline: Int?) throws {
        let target = listen.path + "/status"
        var waitingFor: [PageTable.Page] = []
        while true {
            let report: StatusReport
            do {
                report = try status(address, target: target, deadline: deadline)
            } catch ReachFailure.timedOut where deadline != nil && monotonicMilliseconds() >= deadline! {
                // The build did finish: --timeout came while asking which pages show it.
                throw PagesPending(pages: waitingFor)
            }
            switch AppliedCheck.verdict(report, built: hash) {
            case .applied(let count):
                printOut(count == 0 ? "no open pages reported in\n"
                         : "applied on " + TerminalText.count(count, "page") + "\n")
                return
            case .failed(let pages):
                throw failure("not applied on " + TerminalText.count(pages.count, "page") + ":\n"
                              + pages.map { "  " + AppliedCheck.describe($0) }.joined(separator: "\n"))
            case .waiting(let pages):
                waitingFor = pages
            }
            if let deadline, monotonicMilliseconds() + WaitCommand.pagesPollMs >= deadline {
                throw PagesPending(pages: waitingFor)
            }
            usleep(useconds_t(WaitCommand.pagesPollMs * 1_000))
        }
    }

    /// The daemon's `/status`, read whole.
    private func status(_ address: DaemonAddress, target: String, deadline: Int?) throws -> StatusReport {
        let askBy = min(deadline ?? Int.max, monotonicMilliseconds() + WaitCommand.connectTimeout)
        guard var response = try DaemonClient.get(address, path: target, accept: "application/json", deadline: askBy),
              response.head.status == 200 else {
            throw failure("\(address.authority) did not answer GET \(target) with hmrd's status")
        }
        let body = try response.readBody(deadline: askBy)
        guard let report = try? StatusReport(json: String(decoding: body, as: UTF8.self)) else {
            throw failure("\(address.authority) did not answer GET \(target) with hmrd's status")
        }
        return report
    }
}

// hmrd's entry point: parse the flags, start the daemon, run the loop, exit; or run
// a subcommand (`status`, `wait`, `nginx-config`) and exit with its code.
//
// Exit codes: 0 after a clean stop (and for --help/--version and a subcommand's
// output), 1 for a runtime failure at start (port in use, missing folder, watch
// limit), 2 for a bad flag. `status` exits 1 when no daemon answers; `wait` exits
// with its build's result, 1 for a failure, 124 when its --timeout passes.

import ArgumentParser
import Glibc
import HMRCore
import HMRLoop

// A peer that goes away mid-write must be an error code, not the end of the daemon.
signal(SIGPIPE, SIG_IGN)

/// A parse error or a help/version request: print it and exit 0, or one line and exit 2.
func exitForArguments(_ error: any Error) -> Never {
    if HMRDCommand.exitCode(for: error) == .success {
        print(HMRDCommand.fullMessage(for: error))
        exit(0)
    }
    let message = HMRDCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad arguments"
    fail(message + " (see hmrd --help)", code: 2)
}

// The root command is the daemon; a subcommand runs to completion and exits here.
let command: HMRDCommand
let parsed: any ParsableCommand
do {
    parsed = try HMRDCommand.parseAsRoot()
} catch {
    exitForArguments(error)
}
switch parsed {
case let daemon as HMRDCommand:
    command = daemon
case let status as StatusCommand:
    exit(status.execute())
case let wait as WaitCommand:
    exit(wait.execute())
case let nginx as NginxConfigCommand:
    do {
        print(try nginx.locationBlock(), terminator: "")
    } catch {
        fail("\(error) (see hmrd --help)", code: 2)
    }
    exit(0)
default:
    // `hmrd help [nginx-config]`: argument-parser's help command prints by throwing.
    var other = parsed
    do {
        try other.run()
    } catch {
        exitForArguments(error)
    }
    exit(0)
}

let config: DaemonConfig
do {
    config = try command.makeConfig()
} catch {
    fail("\(error) (see hmrd --help)", code: 2)
}

let loop: EventLoop
do {
    loop = try EventLoop()
} catch {
    fail("cannot start the event loop: \(error)", code: 1)
}
let daemon = Daemon(config: config, loop: loop)
do {
    try daemon.start()
} catch {
    fail(error.message, code: 1)
}
loop.run()
_ = loop.close()
exit(0)

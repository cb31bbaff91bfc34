// The flags that say where the daemon listens and how often it beats: --host,
// --port, --path, --heartbeat.
//
// One group, used by the daemon and by `hmrd status`, `hmrd wait` and `hmrd
// nginx-config`, so they can never disagree on a name or a default; the help
// strings read right for the daemon and for the commands that find it.
// argument-parser parses the group once for the root command and hands the same
// values to the subcommand, so the flags work before or after the subcommand's word.

import ArgumentParser
import HMRCore

struct ListenOptions: ParsableArguments {
    @Option(name: .customLong("host"), help: ArgumentHelp("The address hmrd listens on.", valueName: "addr"))
    var host: String = DaemonConfig.defaultHost

    @Option(name: .customLong("port"), help: ArgumentHelp("The port hmrd listens on; 0 lets the daemon pick a free one.", valueName: "n"))
    var port: Int = DaemonConfig.defaultPort

    @Option(name: .customLong("path"), help: ArgumentHelp("Event-stream path; the client is at P/client.js, status at P/status.", valueName: "p"))
    var path: String = DaemonConfig.defaultStreamPath

    @Option(name: .customLong("heartbeat"), help: ArgumentHelp("Heartbeat interval.", valueName: "dur"))
    var heartbeat: String = DurationParser.format(milliseconds: DaemonConfig.defaultHeartbeat)

    func heartbeatMilliseconds() throws(ConfigError) -> Int {
        try HMRDCommand.duration(heartbeat, flag: "--heartbeat")
    }
}

// The flags that say where the daemon listens and how often it beats: --host,
// --port, --path, --heartbeat.
//
// One group, used by the daemon and by `hmrd nginx-config`, so the two can never
// disagree on a name or a default. argument-parser parses the group once for the
// root command and hands the same values to the subcommand, so the flags work
// before or after the word `nginx-config`.

import ArgumentParser
import HMRCore

struct ListenOptions: ParsableArguments {
    @Option(name: .customLong("host"), help: ArgumentHelp("Listen address.", valueName: "addr"))
    var host: String = DaemonConfig.defaultHost

    @Option(name: .customLong("port"), help: ArgumentHelp("Listen port; 0 picks a free one.", valueName: "n"))
    var port: Int = DaemonConfig.defaultPort

    @Option(name: .customLong("path"), help: ArgumentHelp("Event-stream path; the client is at P/client.js, status at P/status.", valueName: "p"))
    var path: String = DaemonConfig.defaultStreamPath

    @Option(name: .customLong("heartbeat"), help: ArgumentHelp("Heartbeat interval.", valueName: "dur"))
    var heartbeat: String = DurationParser.format(milliseconds: DaemonConfig.defaultHeartbeat)

    func heartbeatMilliseconds() throws(ConfigError) -> Int {
        try HMRDCommand.duration(heartbeat, flag: "--heartbeat")
    }
}

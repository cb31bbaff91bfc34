// The flags that say what the daemon tells the terminal: --quiet, --verbose and
// --log-format. Turned into HMRCore's LogSettings; the lines themselves are
// HMRCore's LogFormatter's.

import ArgumentParser
import HMRCore

struct LogOptions: ParsableArguments {
    @Flag(name: .customLong("quiet"), help: "Print only the listening line, warnings and errors; the build's own output is shown only when it fails.")
    var quiet = false

    @Flag(name: .customLong("verbose"), help: "Also print each change, each client connecting and leaving, and each request.")
    var verbose = false

    @Option(name: .customLong("log-format"), help: ArgumentHelp("text for people; json for one JSON object per line on stdout (the build's output then goes to stderr).", valueName: "text|json"))
    var logFormat: String = LogFormat.text.rawValue

    func settings() throws(ConfigError) -> LogSettings {
        guard let format = LogFormat(rawValue: logFormat) else {
            throw ConfigError("--log-format must be text or json, not '\(logFormat)'")
        }
        guard !(quiet && verbose) else { throw ConfigError("--quiet and --verbose cannot be used together") }
        return LogSettings(format: format, threshold: quiet ? .notice : verbose ? .debug : .info)
    }
}

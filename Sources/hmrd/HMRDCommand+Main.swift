// How hmrd runs a command and ends: argument-parser's own dispatch (parse, then the
// chosen command's run()), with hmrd's exit contract instead of the library's messages.
//
// Exit codes: 0 after a clean stop, for --help and --version, and when a command
// did its work; 1 for a runtime failure (port in use, missing folder, watch limit,
// no daemon answering `status` or `wait`, a failed build for `wait`); 2 for a bad
// flag or value; 124 when `wait --timeout` passes. A command prints its own line
// and throws its code (Output.swift's `failure`); a bad flag found while parsing is
// one line here, where the library would print the error, the usage and a hint.

import ArgumentParser

extension HMRDCommand {
    /// argument-parser's `main()`, except for how a parse error is reported.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: reported(error))
        }
    }

    /// What to exit with: help, --version and a command's own code as they are; a parse
    /// error as one line, printed here, and exit code 2.
    private static func reported(_ error: any Error) -> any Error {
        if error is ExitCode || exitCode(for: error) == .success { return error }
        let line = message(for: error).split(separator: "\n").first.map(String.init) ?? "bad arguments"
        return badFlag(line)
    }
}

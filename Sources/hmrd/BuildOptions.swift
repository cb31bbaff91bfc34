// The flags that say what to watch and how to build: --build, --watch, --out,
// --ignore, --poll, --debounce, --on-busy and --build-timeout. A group of its own so
// that --help shows them together.

import ArgumentParser
import HMRCore

struct BuildOptions: ParsableArguments {
    @Option(name: .customLong("build"), help: ArgumentHelp("Run `/bin/sh -c CMD` at start and after each batch of changes; omit for watch-only.", valueName: "cmd"))
    var build: String?

    @Option(name: .customLong("watch"), help: ArgumentHelp("Watch DIR recursively; repeatable. (default: .)", valueName: "dir"))
    var watch: [String] = []

    @Option(name: .customLong("out"), help: ArgumentHelp("The build's output folder; its files form the module map. (default: --serve dir, else the watched dirs)", valueName: "dir"))
    var out: String?

    @Option(name: .customLong("ignore"), help: ArgumentHelp("Paths to ignore (glob); repeatable. VCS dirs, editor temp files and the out dir are always ignored.", valueName: "glob"))
    var ignore: [String] = []

    @Option(name: .customLong("poll"), help: ArgumentHelp("Poll the watched folders every DUR instead of using inotify: for Docker bind mounts, WSL and network file systems.", valueName: "dur"))
    var poll: String?

    @Option(name: .customLong("debounce"), help: ArgumentHelp("Quiet time after the last change before a build starts.", valueName: "dur"))
    var debounce: String = DurationParser.format(milliseconds: DaemonConfig.defaultDebounce)

    @Option(name: .customLong("on-busy"), help: ArgumentHelp("A change during a build: queue one more run after it, or restart it.", valueName: "queue|restart"))
    var onBusy: String = BusyPolicy.queue.rawValue

    @Option(name: .customLong("build-timeout"), help: ArgumentHelp("Stop a build that runs longer (TERM its process group, then KILL).", valueName: "dur"))
    var buildTimeout: String?
}

// The flags that loosen who may talk to hmrd: --allow-host, --allow-origin and
// --max-clients. The defaults are the safe ones (loopback only); each is a deliberate step.

import ArgumentParser
import HMRCore

struct AccessOptions: ParsableArguments {
    @Option(name: .customLong("allow-host"), help: ArgumentHelp("Extra Host header value to accept; repeatable. (default: loopback names only)", valueName: "host"))
    var allowHost: [String] = []

    @Option(name: .customLong("allow-origin"), help: ArgumentHelp("Extra Origin allowed cross-origin (CORS); repeatable. (default: loopback origins only)", valueName: "origin"))
    var allowOrigin: [String] = []

    @Option(name: .customLong("max-clients"), help: ArgumentHelp("Open event streams before new ones get 503.", valueName: "n"))
    var maxClients: Int = DaemonConfig.defaultMaxClients
}

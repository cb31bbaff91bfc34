// The flags about the pages hmrd updates: --serve, --proxy, --public-path, --name and --sync.

import ArgumentParser
import HMRCore

struct PageOptions: ParsableArguments {
    @Option(name: .customLong("serve"), help: ArgumentHelp("Also serve DIR as static files, with the client injected into HTML.", valueName: "dir"))
    var serve: String?

    // A group of its own, so nginx-config gets the value given before its name too.
    @OptionGroup var proxyOption: ProxyOption
    var proxy: String? { proxyOption.proxy }

    // A group of its own, so nginx-config gets the value given before its name too.
    @OptionGroup var publicPathOption: PublicPathOption
    var publicPath: String { publicPathOption.publicPath }

    @Option(name: .customLong("name"), help: ArgumentHelp("Bundle name carried in payloads; pages can follow one with ?name=.", valueName: "name"))
    var name: String = ""

    @Flag(name: .customLong("sync"), help: "Ghost sync: open pages mirror each other's scrolls, clicks, form input and navigation.")
    var sync = false
}

/// --public-path, shared by the daemon and nginx-config.
struct PublicPathOption: ParsableArguments {
    @Option(name: .customLong("public-path"), help: ArgumentHelp("URL prefix under which the out dir is served to pages.", valueName: "p"))
    var publicPath: String = "/"
}

/// --proxy, shared by the daemon and nginx-config (which prints the nginx server that does it).
struct ProxyOption: ParsableArguments {
    @Option(name: .customLong("proxy"), help: ArgumentHelp("Pass other requests to the backend at URL, injecting the client into its HTML.", valueName: "url"))
    var proxy: String?
}

// The browser client as served: the embedded source with the page's starting state
// stamped in, so a page loaded before or during a build still catches up.
//
// That state is the current build's, unless the script's URL names the build its
// page came from (`?build=HASH`, which --serve writes into the tags it injects) and
// that build is still among the recent ones (RecentBuilds): a page whose HTML was
// served just before a build finished then applies that build like any other.

public enum ClientScript {
    /// The marker in `client/hmr-client.js` that the boot object replaces (written once,
    /// by client/assemble.js).
    public static let bootMarker = "/*HMR_BOOT*/null"

    public struct Boot: Sendable {
        public var hash: String
        /// The module map as JSON (ModuleMap.json).
        public var modules: [UInt8]
        public var publicPath: String
        public var streamPath: String
        public var name: String
        /// The heartbeat interval in ms; the client's watchdog defaults to 2.5 times it.
        public var heartbeat: Int
        /// --sync: the page mirrors the others (ghost sync); without it none of that runs.
        public var sync: Bool
        /// --proxy: a backend renders the page, so a change the page has no asset for (a
        /// template) makes it fetch itself again and patch what differs (client/src/refetch.js).
        public var proxy: Bool

        public init(hash: String, modules: [UInt8], publicPath: String, streamPath: String, name: String,
                    heartbeat: Int, sync: Bool = false, proxy: Bool = false) {
            self.sync = sync
            self.proxy = proxy
            self.hash = hash
            self.modules = modules
            self.publicPath = publicPath
            self.streamPath = streamPath
            self.name = name
            self.heartbeat = heartbeat
        }

        public var json: String {
            var w = JSONWriter()
            w.beginObject()
            w.key("hash"); w.string(hash)
            w.key("modules"); w.raw(modules)
            w.key("publicPath"); w.string(publicPath)
            w.key("path"); w.string(streamPath)
            w.key("name"); w.string(name)
            w.key("heartbeat"); w.int(heartbeat)
            if sync { w.key("sync"); w.bool(true) }
            if proxy { w.key("proxy"); w.bool(true) }
            w.endObject()
            return w.text
        }
    }

    /// The tag --serve puts in pages: the page's build rides in it (`?build=HASH`), so its
    /// client starts from that build, not a later one. No build yet: no parameter.
    public static func tag(streamPath: String, build: String) -> [UInt8] {
        let query = build.isEmpty ? "" : "?build=" + build
        return Array("<script src=\"\(streamPath)/client.js\(query)\"></script>".utf8)
    }

    /// The `build` parameter of client.js's query: a build hash as hmrd writes them, or nil.
    public static func pageBuild(fromQuery query: String?) -> String? {
        hashParameter("build", inQuery: query)
    }

    /// The first `name=` parameter of a query when it is a build hash as hmrd writes them, else nil.
    public static func hashParameter(_ name: Substring, inQuery query: String?) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { continue }
            return ContentHash.isHex(parts[1]) ? String(parts[1]) : nil
        }
        return nil
    }

    /// The client source with `boot` in place of the marker.
    public static func render(_ boot: Boot, source: String = ClientScriptSource.text) -> String {
        guard let range = source.firstRange(of: bootMarker) else { return source }
        return source[..<range.lowerBound] + boot.json + source[range.upperBound...]
    }
}

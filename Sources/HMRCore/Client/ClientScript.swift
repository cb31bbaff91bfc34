// The browser client as served: the embedded source with the page's starting state
// stamped in, so a page loaded before or during a build still catches up.

public enum ClientScript {
    /// The marker in `client/hmr-client.js` that the boot object replaces.
    public static let bootMarker = "/*HMR_BOOT*/null"

    public struct Boot: Sendable {
        public var hash: String
        public var modules: ModuleMap
        public var publicPath: String
        public var streamPath: String
        public var name: String
        /// The heartbeat interval in ms; the client's watchdog defaults to 2.5 times it.
        public var heartbeat: Int

        public init(hash: String, modules: ModuleMap, publicPath: String, streamPath: String, name: String,
                    heartbeat: Int) {
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
            w.key("modules"); w.stringMap(modules.sortedPaths.map { ($0, modules.entries[$0]!) })
            w.key("publicPath"); w.string(publicPath)
            w.key("path"); w.string(streamPath)
            w.key("name"); w.string(name)
            w.key("heartbeat"); w.int(heartbeat)
            w.endObject()
            return w.text
        }
    }

    /// The client source with `boot` in place of the marker.
    public static func render(_ boot: Boot, source: String = ClientScriptSource.text) -> String {
        guard let range = source.firstRange(of: bootMarker) else { return source }
        return source[..<range.lowerBound] + boot.json + source[range.upperBound...]
    }
}

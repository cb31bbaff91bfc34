// The JSON answer of `GET <path>/status`: what a person or a script wants to know
// about a running daemon at a glance.

public struct StatusReport: Sendable, Equatable {
    public var building: Bool
    public var name: String
    public var hash: String
    public var buildCount: Int
    public var lastExitCode: Int?
    public var lastBuildMs: Int?
    public var lastBuildOK: Bool?
    public var clients: Int
    public var uptimeMs: Int
    public var version: String

    public init(building: Bool, name: String, hash: String, buildCount: Int, lastExitCode: Int?,
                lastBuildMs: Int?, lastBuildOK: Bool?, clients: Int, uptimeMs: Int, version: String) {
        self.building = building
        self.name = name
        self.hash = hash
        self.buildCount = buildCount
        self.lastExitCode = lastExitCode
        self.lastBuildMs = lastBuildMs
        self.lastBuildOK = lastBuildOK
        self.clients = clients
        self.uptimeMs = uptimeMs
        self.version = version
    }

    public var json: String {
        var w = JSONWriter()
        w.beginObject()
        w.key("state"); w.string(building ? "building" : "idle")
        w.key("name"); w.string(name)
        w.key("hash"); w.string(hash)
        w.key("lastBuild")
        w.beginObject()
        w.key("count"); w.int(buildCount)
        w.key("exitCode"); if let lastExitCode { w.int(lastExitCode) } else { w.null() }
        w.key("ms"); if let lastBuildMs { w.int(lastBuildMs) } else { w.null() }
        w.key("ok"); if let lastBuildOK { w.bool(lastBuildOK) } else { w.null() }
        w.endObject()
        w.key("clients"); w.int(clients)
        w.key("uptime"); w.milliFixed(uptimeMs)
        w.key("version"); w.string(version)
        w.endObject()
        return w.text + "\n"
    }
}

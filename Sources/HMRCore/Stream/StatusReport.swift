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
    /// The pages that reported in and are open (PageTable).
    public var pages: [PageTable.Page]

    public init(building: Bool, name: String, hash: String, buildCount: Int, lastExitCode: Int?,
                lastBuildMs: Int?, lastBuildOK: Bool?, clients: Int, uptimeMs: Int, version: String,
                pages: [PageTable.Page] = []) {
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
        self.pages = pages
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
        w.key("pages")
        w.beginArray()
        for page in pages { StatusReport.write(page, into: &w) }
        w.endArray()
        w.key("uptime"); w.milliFixed(uptimeMs)
        w.key("version"); w.string(version)
        w.endObject()
        return w.text + "\n"
    }

    static func write(_ page: PageTable.Page, into w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.string(page.id)
        w.key("url"); w.string(page.url)
        w.key("name"); if let name = page.name { w.string(name) } else { w.null() }
        w.key("hash"); if let hash = page.hash { w.string(hash) } else { w.null() }
        w.key("reloading"); w.bool(page.reloadingSince != nil)
        w.key("last")
        if let last = page.last {
            w.beginObject()
            w.key("outcome"); w.string(last.outcome.rawValue)
            w.key("hash"); w.string(last.hash)
            w.key("ms"); if let ms = last.ms { w.tenths(ms) } else { w.null() }
            w.key("error"); if let error = last.error { w.string(error) } else { w.null() }
            w.endObject()
        } else {
            w.null()
        }
        w.endObject()
    }
}

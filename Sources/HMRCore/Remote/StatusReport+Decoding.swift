// The status report read back from its JSON, for `hmrd status`: the inverse of
// StatusReport.json, refusing a document that lacks a field it always has (such an
// answer is not from hmrd, or from an incompatible one).

extension StatusReport {
    public struct NotAStatus: Error, Equatable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public init(json text: String) throws(NotAStatus) {
        let root: JSONValue
        do {
            root = try JSONValue.parse(text)
        } catch {
            throw NotAStatus(reason: error.description)
        }
        func field<T>(_ value: JSONValue?, _ name: String, _ read: (JSONValue) -> T?) throws(NotAStatus) -> T {
            guard let value, let typed = read(value) else { throw NotAStatus(reason: "no \(name) in the answer") }
            return typed
        }
        /// A field that is null until the first build.
        func optional<T>(_ value: JSONValue?, _ name: String, _ read: (JSONValue) -> T?) throws(NotAStatus) -> T? {
            if value?.isNull == true { return nil }
            return try field(value, name, read)
        }
        let state = try field(root["state"], "state", \.string)
        let last = root["lastBuild"]
        self.init(building: state == "building",
                  name: try field(root["name"], "name", \.string),
                  hash: try field(root["hash"], "hash", \.string),
                  buildCount: try field(last?["count"], "lastBuild.count", \.int),
                  lastExitCode: try optional(last?["exitCode"], "lastBuild.exitCode", \.int),
                  lastBuildMs: try optional(last?["ms"], "lastBuild.ms", \.int),
                  lastBuildOK: try optional(last?["ok"], "lastBuild.ok", \.bool),
                  clients: try field(root["clients"], "clients", \.int),
                  uptimeMs: Int((try field(root["uptime"], "uptime", \.number) * 1_000).rounded()),
                  version: try field(root["version"], "version", \.string),
                  pages: try (root["pages"]?.array ?? []).map { (page) throws(NotAStatus) -> PageTable.Page in
                      try StatusReport.page(page)
                  })
    }

    /// A page of `pages`; an hmrd from before pages reported has none.
    static func page(_ json: JSONValue) throws(NotAStatus) -> PageTable.Page {
        guard let id = json["id"]?.string, let url = json["url"]?.string else {
            throw NotAStatus(reason: "a page without id or url in the answer")
        }
        var page = PageTable.Page(id: id, url: url, name: json["name"]?.string, hash: json["hash"]?.string, seen: 0,
                                  reloadingSince: json["reloading"]?.bool == true ? 0 : nil)
        if let last = json["last"], let raw = last["outcome"]?.string, let outcome = PageReport.Outcome(rawValue: raw),
           let hash = last["hash"]?.string {
            page.last = PageTable.LastOutcome(outcome: outcome, hash: hash, ms: last["ms"]?.number,
                                              error: last["error"]?.string)
        }
        return page
    }
}

// The JSON payloads of the event stream: `building`, `built` and `sync`.
//
// Field order is fixed (action, name, then the rest as DESIGN.md lists them) so a
// payload is the same bytes every time; clients ignore fields they do not know.

public struct BuildSnapshot: Sendable, Equatable {
    public var time: Int
    public var hash: String
    public var warnings: [String]
    public var errors: [String]
    public var modules: ModuleMap
    public var changes: ModuleChanges
    /// What the build changed in the import graph, as ModuleGraph.payloadDifference writes it,
    /// when it is small: a page then has its new graph without asking for it.
    public var graph: [UInt8]?

    public init(time: Int = 0, hash: String = "", warnings: [String] = [], errors: [String] = [],
                modules: ModuleMap = ModuleMap(), changes: ModuleChanges = ModuleChanges(), graph: [UInt8]? = nil) {
        self.time = time
        self.hash = hash
        self.warnings = warnings
        self.errors = errors
        self.modules = modules
        self.changes = changes
        self.graph = graph
    }
}

public enum Payload {
    /// A `building` payload names at most this many paths; a branch switch can touch thousands.
    public static let maxTriggerPaths = 100

    public static func building(name: String, trigger: [String]) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("action"); w.string("building")
        w.key("name"); w.string(name)
        w.key("trigger"); w.stringArray(Array(trigger.prefix(maxTriggerPaths)))
        w.endObject()
        return w.text
    }

    public static func built(name: String, snapshot: BuildSnapshot) -> String {
        state(action: "built", name: name, snapshot: snapshot)
    }

    public static func sync(name: String, snapshot: BuildSnapshot) -> String {
        state(action: "sync", name: name, snapshot: snapshot)
    }

    private static func state(action: String, name: String, snapshot s: BuildSnapshot) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("action"); w.string(action)
        w.key("name"); w.string(name)
        w.key("time"); w.int(s.time)
        w.key("hash"); w.string(s.hash)
        w.key("warnings"); w.stringArray(s.warnings)
        w.key("errors"); w.stringArray(s.errors)
        // Encoded once when the map was made: a `sync` per joining client reuses it too.
        w.key("modules"); w.raw(s.modules.json)
        w.key("changes")
        w.beginObject()
        w.key("added"); w.stringArray(s.changes.added)
        w.key("removed"); w.stringArray(s.changes.removed)
        w.key("updated"); w.stringArray(s.changes.updated)
        w.endObject()
        if let graph = s.graph { w.key("graph"); w.raw(graph) }
        w.endObject()
        return w.text
    }
}

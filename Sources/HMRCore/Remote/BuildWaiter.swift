// `hmrd wait` as a state machine: the stream's event data goes in, and out comes
// the end of the next build — once, then nothing.
//
// The stream opens with `sync` (the state before we came), then a `building` frame
// if a build is already under way; the first `built` after `sync` is therefore the
// end of the running build, or else of the next one. Heartbeats and payloads that
// are not JSON are skipped, as are actions this version does not know.

public struct FinishedBuild: Sendable, Equatable {
    public var hash: String
    public var milliseconds: Int
    public var added: Int
    public var updated: Int
    public var removed: Int
    /// The failed build's output tail and reason; empty for a good build.
    public var errors: [String]

    public var succeeded: Bool { errors.isEmpty }

    /// The line for a good build, as the daemon's own `built` line reads.
    public var summary: String {
        "built \(hash) in \(milliseconds)ms: \(added) added, \(updated) updated, \(removed) removed"
    }

    /// What a failed build printed (its tail, ending with the reason), newline-terminated.
    public var failureText: String {
        errors.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined()
    }
}

public struct BuildWaiter: Sendable {
    public private(set) var synced = false
    /// A build was under way (or started) after the sync: the result is coming.
    public private(set) var sawBuilding = false
    public private(set) var result: FinishedBuild?

    public init() {}

    /// Feeds one event's data; returns the finished build the first time there is one.
    public mutating func handle(data: String) -> FinishedBuild? {
        guard result == nil, let payload = try? JSONValue.parse(data), let action = payload["action"]?.string else {
            return nil
        }
        switch action {
        case "sync":
            synced = true
        case "building" where synced:
            sawBuilding = true
        case "built" where synced:
            let changes = payload["changes"]
            result = FinishedBuild(
                hash: payload["hash"]?.string ?? "", milliseconds: payload["time"]?.int ?? 0,
                added: changes?["added"]?.array?.count ?? 0, updated: changes?["updated"]?.array?.count ?? 0,
                removed: changes?["removed"]?.array?.count ?? 0,
                errors: (payload["errors"]?.array ?? []).compactMap(\.string))
            return result
        default:
            break
        }
        return nil
    }
}

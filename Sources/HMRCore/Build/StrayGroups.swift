// The process groups of finished builds that left processes behind (`sleep 30 &`, a
// watcher started in the background): stopped with hmrd, as the build itself would be.
// Whether a group still has members is asked of the system by the caller.

public struct StrayGroups: Sendable, Equatable {
    public private(set) var groups: [Int32] = []

    public init() {}

    /// A build's group after it exited. Groups that have emptied since are forgotten first:
    /// their number may be handed out again, to someone else's processes.
    public mutating func buildEnded(group: Int32, isAlive: (Int32) -> Bool) {
        groups.removeAll { !isAlive($0) }
        if group > 0, isAlive(group), !groups.contains(group) { groups.append(group) }
    }

    /// At shutdown: the groups to send TERM to (hmrd does not wait for them); forgotten after.
    public mutating func takeForShutdown(isAlive: (Int32) -> Bool) -> [Int32] {
        let alive = groups.filter(isAlive)
        groups = []
        return alive
    }
}

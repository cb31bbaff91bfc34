// Detects a build that rewrites its own watched inputs.
//
// A build whose writes land in a watched folder outside the out dir would trigger
// itself forever. The sign: several builds in a row whose only follow-up changes
// are the same paths, all written while the build ran. A person saving during a
// build breaks the streak, because their change either lands outside a build or
// names other paths.

struct BuildLoopGuard: Sendable {
    /// Builds in a row that re-triggered themselves with the same paths before we stop.
    static let streakLimit = 3

    private var duringBuild: Set<String> = []
    private var outsideBuild = false
    private var lastSet: Set<String> = []
    private var streak = 0

    mutating func buildStarted() {
        duringBuild = []
        outsideBuild = false
    }

    mutating func changedDuringBuild(_ path: String) { duringBuild.insert(path) }
    mutating func changedOutsideBuild() { outsideBuild = true; streak = 0 }

    /// Called when a build ended with changes pending; the looping paths when it loops.
    mutating func buildEnded() -> [String]? {
        guard !outsideBuild, !duringBuild.isEmpty else {
            streak = 0
            return nil
        }
        streak = (duringBuild == lastSet) ? streak + 1 : 1
        lastSet = duringBuild
        guard streak >= BuildLoopGuard.streakLimit else { return nil }
        streak = 0
        return duringBuild.sorted(by: ModuleMap.pathOrder)
    }
}

// Folders left unwatched because the watch limit was reached (or inotify instances
// ran out), tried again until they are watched.
//
// Watches come free when watched folders are deleted, or when the limit is raised
// (`sysctl fs.inotify.max_user_watches=...`) while hmrd runs. A timer tries the
// refused trees every `retryInterval` and only while there are some, so an hmrd
// that never hits the limit never wakes for this. Files in a folder watched late are
// reported as changed: they may have changed while nobody was listening.

extension TreeWatcher {
    /// How often refused trees are tried again.
    static let retryInterval = 2_000

    func retryLater(_ path: String) {
        guard !isStopped else { return }
        if !unwatched.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
            unwatched.removeAll { $0.hasPrefix(path + "/") }
            unwatched.append(path)
        }
        guard retryTimer == nil else { return }
        let timer = LoopTimer(loop: loop) { [unowned self] in self.retryUnwatched() }
        retryTimer = timer
        timer.start(after: TreeWatcher.retryInterval, repeatEvery: TreeWatcher.retryInterval)
    }

    private func retryUnwatched() {
        var still: [String] = []
        for path in unwatched where FolderEventHandle.Identity.of(path) != nil {
            do {
                try watchTree(path, reportFiles: true, revisit: true)
            } catch {
                still.append(path)
            }
        }
        unwatched = still
        guard still.isEmpty else { return }
        retryTimer?.close()
        retryTimer = nil
        // Everything is watched again: should the limit be reached later, say so again.
        warnedWatchLimit = false
    }
}

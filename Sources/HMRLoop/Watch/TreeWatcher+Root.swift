// The watched root going away and coming back.
//
// No watched folder holds the root, so nothing reports it when it comes back (a
// branch switch, `rm -rf src && git checkout src`, a tool that writes the tree
// anew). While it is gone, a timer stats it every `rootSearchInterval`: a single
// system call, so the daemon stays idle. Once it is back it is watched again and
// every file in it is reported; those reports land within one debounce, so they
// make one build.

import Glibc

extension TreeWatcher {
    /// How often a deleted root is looked for; also about the longest a returning one goes unseen.
    static let rootSearchInterval = 500

    /// The root is no longer at its path (its own handle said so and is released).
    func rootVanished() {
        guard !isStopped, rootSearch == nil else { return }
        // Deleted and made again before we heard: no need to wait, nor to warn.
        if FolderEventHandle.Identity.of(root) != nil {
            rootReturned()
            return
        }
        onWarning("watch folder \(TreeWatcher.shown(root)) was deleted; waiting for it to come back")
        searchForRoot()
    }

    private func searchForRoot() {
        let timer = LoopTimer(loop: loop) { [unowned self] in
            if FolderEventHandle.Identity.of(self.root) != nil { self.rootReturned() }
        }
        rootSearch = timer
        timer.start(after: TreeWatcher.rootSearchInterval, repeatEvery: TreeWatcher.rootSearchInterval)
    }

    private func rootReturned() {
        rootSearch?.close()
        rootSearch = nil
        watchFound(root)
        // Gone again before its watch began: keep looking.
        if !isWatchingRoot { searchForRoot() }
    }
}

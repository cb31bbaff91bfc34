// Watches folder trees without inotify: walks them every interval and reports what
// changed since the walk before. For mounts whose changes inotify never hears of
// (Docker bind mounts, WSL's /mnt, NFS); chosen with --poll.
//
// One timer, owned here, and one walk at a time on libuv's thread pool. The timer
// is armed only when a walk has ended, so a walk slower than the interval delays
// the next instead of piling up, and between walks nothing runs at all. The first
// walk is made in start(), on the loop thread before the daemon listens (as the
// inotify watcher adds its watches), so a change made once hmrd is listening is
// never folded into the baseline; that walk reports nothing.
//
// inotify reports a build's own writes while the build runs; a poller would report
// them a walk later, once the build is over, and a build that rewrites its inputs
// would never be caught looping. So the daemon holds the scheduler's follow-up after
// each build until one more walk has reported (holdUntilCaughtUp).

import HMRCore

public final class PollWatcher {
    public typealias Root = (display: String, path: String)

    private let loop: EventLoop
    private let roots: [Root]
    private let interval: Int
    private let walker: PollTreeWalker
    private var timer: LoopTimer?
    private var isWalking = false
    private var walkStartedAt = 0
    private var isStopped = false
    /// A catch-up asked for (PollCatchUp), and who waits for it.
    private var catchUp = PollCatchUp(racyMarginNanoseconds: PollTreeWalker.racyMargin)
    private var waiting: [() -> Void] = []
    private var isReleasing = false
    private let onChange: (_ root: Root, _ relativePath: String) -> Void
    private let onWarning: (String) -> Void

    /// `roots` hold absolute real paths; `excluded` are absolute folders (the out dir); `interval` is in ms.
    public init(loop: EventLoop, roots: [Root], interval: Int, ignore: IgnoreRules, excluded: [String],
                onChange: @escaping (_ root: Root, _ relativePath: String) -> Void,
                onWarning: @escaping (String) -> Void) {
        self.loop = loop
        self.roots = roots
        self.interval = interval
        self.onChange = onChange
        self.onWarning = onWarning
        walker = PollTreeWalker(roots: roots.map(\.path), ignore: ignore, excluded: excluded)
    }

    /// Takes the baseline and arms the timer for the first real walk.
    public func start() {
        guard timer == nil, !isStopped else { return }
        _ = walker.walk(baseline: true)
        // unowned: the timer is closed in stop(), and the daemon keeps the watcher until it exits.
        timer = LoopTimer(loop: loop) { [unowned self] in self.timerFired() }
        timer?.start(after: interval)
    }

    /// Closes the timer; a walk under way finishes on the pool and its result is dropped,
    /// and so is whoever waits for a catch-up (the daemon is stopping).
    public func stop() {
        isStopped = true
        catchUp.cancel()
        waiting = []
        timer?.close()
        timer = nil
    }

    /// Runs `proceed` once a walk started after this call (and a little later, see
    /// catchUpDelay) has reported its changes, and returns true; returns false, and
    /// `proceed` is not kept, when the caller should go on now: stopped, or inside a
    /// `proceed` being run (so the caller may simply call itself again).
    public func holdUntilCaughtUp(_ proceed: @escaping () -> Void) -> Bool {
        guard !isStopped, !isReleasing else { return false }
        _ = catchUp.hold(now: loop.now)
        waiting.append(proceed)
        // A walk under way started too early to count; the timer is re-armed when it ends.
        if !isWalking { armTimer() }
        return true
    }

    private func armTimer() {
        if let due = catchUp.due {
            timer?.start(after: due - loop.now)
        } else {
            timer?.start(after: interval)
        }
    }

    private func timerFired() {
        guard !isStopped, !isWalking else { return }
        isWalking = true
        walkStartedAt = loop.now
        let walker = self.walker
        // The job holds the watcher until it reports (no cycle: the job is gone after),
        // and walkEnded drops the result of a walk that outlived stop().
        ThreadPoolJob.run(on: loop, { walker.walk(baseline: false) }, then: { result in
            self.walkEnded(result)
        })
    }

    private func walkEnded(_ result: PollTreeWalker.Result) {
        isWalking = false
        guard !isStopped else { return }
        for index in result.vanished {
            // The inotify watcher's words for the same event.
            onWarning("watch folder \(roots[index].display) was deleted; waiting for it to come back")
        }
        for (index, paths) in result.changes.enumerated() {
            for path in paths { onChange(roots[index], path) }
        }
        if catchUp.walkEnded(startedAt: walkStartedAt) {
            let released = waiting
            waiting = []
            isReleasing = true
            for proceed in released { proceed() }
            isReleasing = false
        }
        // Reporting may have stopped the watcher (a change can end in shutdown); arm only if not.
        if !isStopped { armTimer() }
    }
}

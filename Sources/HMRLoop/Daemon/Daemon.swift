// The daemon: wires the watcher, the build scheduler, the build process, the output
// walker and the HTTP side together on one libuv loop.
//
// Decisions live in HMRCore (scheduler, policy, payloads); this class turns libuv
// callbacks into events for them and carries out the actions they return.

import CLibUV
import Glibc
import HMRCore

public final class Daemon {
    let config: DaemonConfig
    let loop: EventLoop
    let log: TerminalLog
    let startedAt: Int

    // HTTP side.
    var listener: TCPListener?
    var policy: RequestPolicy
    let router: Router
    var hub: StreamHub
    let deadlines: ConnectionDeadlines
    /// Requests for out-dir files waiting for a build to be published.
    let heldRequests: HeldRequests
    /// The out dir's folders, as the walker reads them.
    let outputRoots: [OutputWalker.Root]
    /// --serve, if given.
    let staticFiles: StaticFiles?
    /// Where pages load the out dir's ES modules (ModuleURLPrefix); nil: hmrd serves none.
    let modulePrefix: String?
    /// The out dir, for modules asked for without --serve (behind nginx).
    let moduleFiles: StaticFiles?
    var connections: [ObjectIdentifier: HTTPConnection] = [:]
    /// --proxy: the backend every other request goes to; set up by start().
    var proxyDesk: ProxyDesk?
    public private(set) var port = 0
    public let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    // Build side.
    var scheduler: BuildScheduler
    let schedulerTimer: LoopTimer
    let heartbeatTimer: LoopTimer
    /// Fires the full walk that checks a walk from inotify's notices (checkNotices).
    let noticeCheckTimer: LoopTimer
    /// The pages that reported in and what they did (POST P/report).
    var reports: ReportDesk
    /// Comes by when `reports` has something to close (a build's line, a silent page).
    let reportTimer: LoopTimer
    /// Ghost sync's actions in, frames out (--sync).
    var ghosts = SyncDesk()
    var watchers: [TreeWatcher] = []
    var poller: PollWatcher?
    let walker: OutputWalker
    /// Walk results wait here for the walks before them (WalkOrder).
    var walkOrder = WalkOrder<() -> Void>()
    var build: BuildProcess?
    var buildGroup: pid_t = 0
    /// Groups of finished builds that left processes behind; stopped with the daemon.
    var strayGroups = StrayGroups()
    var lastOutputTail = ""
    /// What `built` and `sync` describe. Any change, wherever made, drops the hub's encoded
    /// `sync`, so a page that joins never gets a state older than the one published.
    var snapshot = BuildSnapshot() {
        didSet { hub.stateChanged() }
    }
    /// The last few good builds' module maps, for pages served just before a build (ClientScript).
    var recentBuilds = RecentBuilds()
    /// The bytes of small files recent builds changed, for pages asking for a build's version.
    var recentContents = RecentContents()
    /// The out dir's ES modules and their imports, as of the last walk.
    var moduleGraph: ModuleGraph
    /// The graphs of the last few good builds, for pages updating to one of them.
    var recentGraphs = RecentGraphs()
    var standingWarnings: [String] = []
    var buildCount = 0
    var lastReport: BuildReport?
    private var queuedEvents: [BuildEvent] = []
    private var drainingEvents = false

    var signals: [SignalWatcher] = []
    var stopping = false

    public init(config: DaemonConfig, loop: EventLoop) {
        self.config = config
        self.loop = loop
        log = TerminalLog(settings: config.log)
        startedAt = loop.now
        policy = RequestPolicy(listenHost: config.host, extraHosts: config.allowHosts, extraOrigins: config.allowOrigins,
                               postPaths: [config.streamPath + Router.reportSuffix, config.streamPath + Router.syncSuffix],
                               proxyingAllBut: config.proxy == nil ? nil : config.streamPath)
        reports = ReportDesk(daemonName: config.name)
        // Ids start from the wall clock in milliseconds (times 1000) so ids from an earlier
        // run never look resumable, even one restarted within the same second.
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let startMs = UInt64(max(0, wall.tv_sec)) * 1_000 + UInt64(max(0, wall.tv_nsec) / 1_000_000)
        hub = StreamHub(loop: loop, baseID: startMs * 1_000)
        scheduler = BuildScheduler(settings: BuildSettings(
            hasCommand: config.buildCommand != nil, debounce: config.debounce, onBusy: config.onBusy,
            timeout: config.buildTimeout))
        let output = Daemon.outputRoots(config)
        outputRoots = output.roots
        modulePrefix = Daemon.modulePrefix(config, roots: output.roots)
        moduleGraph = ModuleGraph(urlPrefix: modulePrefix ?? "/")
        walker = OutputWalker(roots: output.roots, ignore: output.ignore, usesNotices: config.poll == nil,
                              scansModules: modulePrefix != nil)
        staticFiles = config.serveDir.map { StaticFiles(folder: FilePaths.absolute($0)) }
        let throughNginx = config.serveDir == nil ? modulePrefix : nil
        moduleFiles = throughNginx.map { _ in StaticFiles(folder: output.roots[0].path) }
        router = Router(streamPath: config.streamPath, maxClients: config.maxClients, servesFiles: config.serveDir != nil,
                        modulePrefix: throughNginx)
        deadlines = ConnectionDeadlines(loop: loop)
        heldRequests = HeldRequests(loop: loop)
        schedulerTimer = LoopTimer(loop: loop)
        heartbeatTimer = LoopTimer(loop: loop)
        noticeCheckTimer = LoopTimer(loop: loop)
        reportTimer = LoopTimer(loop: loop)
        heldRequests.answer = { [unowned self] held, byDeadline in self.answerHeld(held, byDeadline: byDeadline) }
        schedulerTimer.onFire { [unowned self] in self.send(.timerFired) }
        heartbeatTimer.onFire { [unowned self] in self.hub.sendHeartbeat() }
        reportTimer.onFire { [unowned self] in self.reportsTick() }
    }

    deinit { readBuffer.deallocate() }

    /// Checks the folders, listens, watches, and starts the first build.
    public func start() throws(StartupError) {
        // First, while hmrd is one thread: growing the table later stalls accept() (see DescriptorTable).
        DescriptorTable.presize(forStreams: config.maxClients)
        let watchRoots = try resolveWatchRoots()
        if let serve = config.serveDir {
            // With a build, the folder may only appear after the first build.
            guard config.buildCommand != nil || FilePaths.isFolder(serve) else {
                throw StartupError("serve folder '\(serve)' does not exist: create it or pass --serve with an existing folder")
            }
        }

        if let target = config.proxy {
            let pool = try BackendPool(target: target, loop: loop)
            proxyDesk = ProxyDesk(pool: pool, log: log) { [unowned self] in
                ClientScript.tag(streamPath: self.config.streamPath, build: self.snapshot.hash)
            }
        }
        try listen()
        try watch(watchRoots)

        heartbeatTimer.start(after: config.heartbeat, repeatEvery: config.heartbeat)
        for number in [SIGINT, SIGTERM] {
            signals.append(SignalWatcher(loop: loop, signal: number) { [unowned self] in self.shutdown() })
        }

        let shownHost = config.host.contains(":") ? "[\(config.host)]" : config.host
        let base = "http://\(shownHost):\(port)"
        log.emit(.listening(url: base, streamPath: config.streamPath))
        send(.launch)
    }

    private func resolveWatchRoots() throws(StartupError) -> [(display: String, path: String)] {
        var roots: [(String, String)] = []
        for dir in config.watchDirs {
            guard let real = FilePaths.real(dir), FilePaths.isFolder(real) else {
                throw StartupError("watch folder '\(dir)' does not exist: create it or pass --watch with an existing folder")
            }
            roots.append((dir, real))
        }
        return roots
    }

    private static func outputRoots(_ config: DaemonConfig) -> (roots: [OutputWalker.Root], ignore: IgnoreRules) {
        let roots = config.mapFolders.map { folder in
            OutputWalker.Root(path: FilePaths.absolute(folder.dir),
                              // display(root:relative: "") already ends in "/" ("css/"; "" for ".").
                              keyPrefix: folder.named ? FilePaths.display(root: folder.dir, relative: "") : "")
        }
        // A separate out dir alone: only the built-in ignores apply; --ignore is about sources.
        let outAlone = (config.outDir ?? config.serveDir) != nil && roots.count == 1
        return (roots, IgnoreRules(patterns: outAlone ? [] : config.ignore))
    }

    private func listen() throws(StartupError) {
        let listener = TCPListener(loop: loop)
        self.listener = listener
        listener.turnAwayResponse = turnAwayResponse(limit: listener.budget.limit)
        do {
            port = try listener.listen(host: config.host, port: config.port, onConnection: { [unowned self] handle in
                self.accepted(handle)
            }, onEvent: { [unowned self] event in self.listenerReported(event) })
        } catch {
            listener.close()
            self.listener = nil
            if error == .addressInUse {
                throw StartupError("port \(config.port) on \(config.host) is in use: stop the other server or pass --port with another port (--port 0 picks a free one)")
            }
            throw StartupError("cannot listen on \(config.host):\(config.port): \(error)")
        }
    }

    private func watch(_ roots: [(display: String, path: String)]) throws(StartupError) {
        let excluded = config.unwatchedDirs.map(FilePaths.absolute)
        let ignore = IgnoreRules(patterns: config.ignore)
        if let interval = config.poll {
            // --poll: walk the trees instead, for mounts where inotify hears nothing. No inotify at all.
            let poller = PollWatcher(loop: loop, roots: roots, interval: interval, ignore: ignore, excluded: excluded,
                                     onChange: { [unowned self] root, relative in
                self.fileChanged(FilePaths.display(root: root.display, relative: relative))
            }, onWarning: { [unowned self] message in self.log.warning(message) })
            poller.start()
            self.poller = poller
            return
        }
        for root in roots {
            let watcher = TreeWatcher(loop: loop, root: root.path, ignore: ignore, excluded: excluded,
                                      onChange: { [unowned self] relative in
                self.fileChanged(FilePaths.display(root: root.display, relative: relative))
            }, onWarning: { [unowned self] message in self.log.warning(message) })
            do {
                try watcher.start()
            } catch {
                watcher.stop()
                throw StartupError(TreeWatcher.describe(error, path: root.display))
            }
            watchers.append(watcher)
        }
    }

    /// A change the watcher did not ignore: said with --verbose, then handed to the scheduler.
    private func fileChanged(_ path: String) {
        log.emit(.changed(path: path))
        send(.fileChanged(path))
    }

    /// Feeds one event to the scheduler; events raised while acting are queued, not nested.
    func send(_ event: BuildEvent) {
        // --poll hears a build's own writes a walk late: one more walk before the follow-up, so
        // they count as the build's (as inotify's do) and a build rewriting its inputs is caught.
        if event == .outputPublished, poller?.holdUntilCaughtUp({ [unowned self] in self.send(event) }) == true { return }
        queuedEvents.append(event)
        guard !drainingEvents else { return }
        drainingEvents = true
        while !queuedEvents.isEmpty {
            let next = queuedEvents.removeFirst()
            for action in scheduler.handle(next, now: loop.now) { perform(action) }
        }
        drainingEvents = false
        if let deadline = scheduler.nextDeadline {
            schedulerTimer.start(after: deadline - loop.now)
        } else {
            schedulerTimer.stop()
        }
    }

    /// SIGINT/SIGTERM: stop accepting, end streams, stop the build (a second signal skips its grace).
    func shutdown() {
        if !stopping {
            stopping = true
            log.emit(.stopping)
            listener?.close()
            listener = nil
            hub.closeAll()
            for connection in Array(connections.values) { connection.close() }
            proxyDesk?.backendPool.closeAll()
            for watcher in watchers { watcher.stop() }
            watchers.removeAll()
            poller?.stop()
            heartbeatTimer.close()
        }
        send(.shutdown)
    }

    /// The last handles go; uv_run returns once their close callbacks have run.
    func finishShutdown() {
        schedulerTimer.close()
        noticeCheckTimer.close()
        reportTimer.close()
        deadlines.close()
        heldRequests.close()
        for signal in signals { signal.close() }
        signals.removeAll()
    }
}

// The tasks of one output walk, shared by the threads that run it.
//
// A task lists a folder or probes a range of its entries; running one may queue
// more (the folders it found, the rest of a long listing). Tasks are taken last in,
// first out, so the probes of a folder just listed run next, while its listing is
// fresh in the cache. The walk is over when no task is queued and none is running.

import Glibc

final class WalkQueue: @unchecked Sendable {
    enum Task {
        case list(OutputFolder)
        case probe(OutputFolder, Range<Int>)
    }

    // Everything below is guarded by `stateLock`.
    private var tasks: [Task] = []
    private var running = 0
    /// Folders with something to commit, in the order they reported.
    private var dirty: [OutputFolder] = []
    /// The bytes of files the walk read whole (OutputWalker.KeptFile).
    private var kept: [OutputWalker.KeptFile] = []
    private var scanned: [OutputWalker.ScannedModule] = []
    private let stateLock = ThreadLock()
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() { pthread_cond_init(wake, nil) }

    deinit {
        pthread_cond_destroy(wake)
        wake.deallocate()
    }

    func push(_ task: Task) {
        stateLock.lock()
        tasks.append(task)
        pthread_cond_signal(wake)
        stateLock.unlock()
    }

    /// Records what a probe found (possibly nothing, for a new listing) for commit.
    func report(_ folder: OutputFolder, _ findings: [(index: Int, entry: OutputFolder.Entry)]) {
        stateLock.lock()
        folder.findings.append(contentsOf: findings)
        if !folder.isDirty {
            folder.isDirty = true
            dirty.append(folder)
        }
        stateLock.unlock()
    }

    func keep(_ file: OutputWalker.KeptFile) {
        stateLock.lock()
        kept.append(file)
        stateLock.unlock()
    }

    func scanned(_ module: OutputWalker.ScannedModule) {
        stateLock.lock()
        scanned.append(module)
        stateLock.unlock()
    }

    /// Runs tasks until the walk is over; every thread of the walk calls this.
    func drain(_ perform: (Task) -> Void) {
        stateLock.lock()
        while true {
            if let task = tasks.popLast() {
                running += 1
                stateLock.unlock()
                perform(task)
                stateLock.lock()
                running -= 1
                continue
            }
            if running == 0 {
                // Nothing queued and nothing running that could queue more: wake the others to leave.
                pthread_cond_broadcast(wake)
                stateLock.unlock()
                return
            }
            pthread_cond_wait(wake, stateLock.mutex)
        }
    }

    /// The folders to commit; call once every thread has left `drain`.
    func takeDirty() -> [OutputFolder] {
        stateLock.lock()
        defer { stateLock.unlock() }
        let folders = dirty
        dirty = []
        return folders
    }

    /// The files kept whole; call once every thread has left `drain`.
    func takeKept() -> [OutputWalker.KeptFile] {
        stateLock.lock()
        defer { stateLock.unlock() }
        let files = kept
        kept = []
        return files
    }

    /// The modules whose imports were read; call once every thread has left `drain`.
    func takeScanned() -> [OutputWalker.ScannedModule] {
        stateLock.lock()
        defer { stateLock.unlock() }
        let modules = scanned
        scanned = []
        return modules
    }
}

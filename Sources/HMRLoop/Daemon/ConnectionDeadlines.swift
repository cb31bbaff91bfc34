// Every connection's deadline (ConnectionLifecycle: a complete head, or a file body's
// next chunk, within 10 s), on one timer.
//
// Deadlines are handed out in increasing order (now + a constant), so a FIFO queue
// is already sorted: the timer only ever looks at its front. When an entry comes due
// its connection is told; the lifecycle knows whether that deadline still stands.

final class ConnectionDeadlines {
    private var queue: [(deadline: Int, connection: HTTPConnection)] = []
    private var front = 0
    private let timer: LoopTimer
    private let loop: EventLoop
    private var armedFor: Int?

    init(loop: EventLoop) {
        self.loop = loop
        timer = LoopTimer(loop: loop)
        timer.onFire { [unowned self] in self.expire() }
    }

    func watch(_ connection: HTTPConnection, until deadline: Int) {
        queue.append((deadline, connection))
        if armedFor == nil { arm() }
    }

    private func arm() {
        guard front < queue.count else {
            armedFor = nil
            queue.removeAll(keepingCapacity: true)
            front = 0
            return
        }
        let deadline = queue[front].deadline
        armedFor = deadline
        timer.start(after: deadline - loop.now)
    }

    private func expire() {
        let now = loop.now
        while front < queue.count, queue[front].deadline <= now {
            let connection = queue[front].connection
            front += 1
            if !connection.closed { connection.deadlineCame() }
        }
        // Compact now and then so the array does not grow without bound.
        if front > 1024 && front * 2 > queue.count {
            queue.removeFirst(front)
            front = 0
        }
        arm()
    }

    func close() {
        queue.removeAll()
        front = 0
        timer.close()
    }
}

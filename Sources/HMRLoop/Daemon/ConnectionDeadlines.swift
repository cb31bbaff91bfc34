// The 10-second deadline for a complete request head, for every connection, on one timer;
// the same deadline for each chunk of a file body to leave (a reader that stopped).
//
// Deadlines are handed out in increasing order (now + a constant), so a FIFO queue
// is already sorted: the timer only ever looks at its front. An entry whose
// connection has since moved on (sent its head, closed) is skipped.

final class ConnectionDeadlines {
    /// How long a connection may take to send a complete head, kept-alive ones included.
    static let limit = 10_000

    private var queue: [(deadline: Int, connection: HTTPConnection)] = []
    private var front = 0
    private var timer: LoopTimer!
    private let loop: EventLoop
    private var armedFor: Int?

    init(loop: EventLoop) {
        self.loop = loop
        timer = LoopTimer(loop: loop) { [unowned self] in self.expire() }
    }

    func watch(_ connection: HTTPConnection) {
        let deadline = loop.now + ConnectionDeadlines.limit
        connection.headDeadline = deadline
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
            let (deadline, connection) = queue[front]
            front += 1
            let waiting = connection.mode == .readingHead || connection.mode == .sendingBody
            if !connection.closed, waiting, connection.headDeadline == deadline {
                connection.close()
            }
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

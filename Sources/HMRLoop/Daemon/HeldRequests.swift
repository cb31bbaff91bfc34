// Requests for the out dir's files held back while a build rewrites it: their
// connections, what they asked, and one timer for all their deadlines (the order
// and the deadlines are the core's OutputWaitList). A held connection reads
// nothing more, so a thousand held requests cost their descriptors and little else.

import HMRCore

final class HeldRequests {
    struct Held {
        let connection: HTTPConnection
        let request: AllowedRequest
        let head: RequestHead
        /// When the request first arrived, on the loop clock: the longest wait counts from it.
        let arrived: Int
        var waitedForUnsettled: Bool
        /// A module asked for through nginx (Router's `.module`), not a file of --serve.
        var moduleKey: String? = nil
    }

    private let loop: EventLoop
    private var waits = OutputWaitList()
    private var held: [Int: Held] = [:]
    private var ids: [ObjectIdentifier: Int] = [:]
    private var nextID = 0
    private let timer: LoopTimer
    /// Answers a request let go, by a publish (`false`) or by its deadline (`true`).
    var answer: (Held, _ byDeadline: Bool) -> Void = { _, _ in }

    init(loop: EventLoop) {
        self.loop = loop
        timer = LoopTimer(loop: loop)
        timer.onFire { [unowned self] in self.expire() }
    }

    var count: Int { held.count }

    func hold(_ request: Held, until deadline: Int) {
        nextID += 1
        held[nextID] = request
        ids[ObjectIdentifier(request.connection)] = nextID
        request.connection.hold()
        waits.hold(nextID, until: deadline)
        arm()
    }

    /// A build was published: everything held is answered now, oldest first.
    func releaseAll() {
        guard !held.isEmpty else { return }
        let released = waits.releaseAll().compactMap(take)
        arm()
        for request in released { answer(request, false) }
    }

    /// The connection closed while its request was held.
    func forget(_ connection: HTTPConnection) {
        guard let id = ids.removeValue(forKey: ObjectIdentifier(connection)) else { return }
        held[id] = nil
        waits.forget(id)
        arm()
    }

    private func expire() {
        let released = waits.expired(now: loop.now).compactMap(take)
        arm()
        for request in released { answer(request, true) }
    }

    private func take(_ id: Int) -> Held? {
        guard let request = held.removeValue(forKey: id) else { return nil }
        ids[ObjectIdentifier(request.connection)] = nil
        request.connection.unhold()
        return request.connection.closed ? nil : request
    }

    private func arm() {
        if let next = waits.nextDeadline {
            timer.start(after: next - loop.now)
        } else {
            timer.stop()
        }
    }

    func close() { timer.close() }
}

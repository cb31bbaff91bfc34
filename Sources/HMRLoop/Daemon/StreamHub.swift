// The open event streams, and the one place frames are sent to them.
//
// A frame is encoded once and the same bytes go to every stream. Recent frames are
// kept so a client that reconnects with `Last-Event-ID` is replayed what it missed;
// any other joiner gets `sync`, encoded once per state and shared like a broadcast
// (StreamReplay), so many pages joining at once do not each pay for an encoding.
//
// A broadcast is written to `streamsPerTurn` streams at once and to the rest over
// the next turns of the loop (DeliveryProgress), so that the build's exit, its
// walk and new clients are handled meanwhile instead of after the last write. A
// stream still behind when the next frame comes is sent both in one write.
// A stream that stops reading is dropped by its own write state; the others go on.

import HMRCore

final class StreamHub {
    private(set) var streams: [HTTPConnection] = []
    private var replay: StreamReplay<SharedBytes>
    private var progress: DeliveryProgress
    /// What a stream behind since a given id is sent, as one buffer, until the next broadcast.
    private var catchUps: [UInt64: SharedBytes] = [:]
    private var turns: LoopIdle!

    /// How long a browser waits before reconnecting a dropped stream.
    static let retryMilliseconds = 1_000
    static let heartbeat = SharedBytes(SSEFrame.heartbeat)
    /// Streams written per turn of the loop: ~1 ms of writes, so what else is waiting is
    /// late by about that much, and the extra turns cost nothing measurable.
    static let streamsPerTurn = 128

    init(loop: EventLoop, baseID: UInt64) {
        replay = StreamReplay(capacity: 64, baseID: baseID)
        progress = DeliveryProgress(latest: baseID)
        turns = LoopIdle(loop: loop) { [unowned self] in self.deliver() }
    }

    var count: Int { streams.count }

    /// Sends a payload to every stream (the first slice at once) and remembers it; returns its id.
    @discardableResult
    func broadcast(_ json: String, isState: Bool) -> UInt64 {
        let id = replay.record(isState: isState) { id in SharedBytes(SSEFrame.event(id: String(id), data: json)) }
        progress.recorded(id)
        catchUps.removeAll(keepingCapacity: true)
        deliver()
        return id
    }

    /// A ghost sync frame goes to every stream at once and is not kept: a page that joins
    /// later, or resumes, is not replayed old clicks. Its id is the last frame's, a dot and
    /// a count, so a stream resuming after it resumes after that frame (StreamResumePoint).
    func sendGhost(_ json: String) {
        let frame = SharedBytes(SSEFrame.event(id: replay.unkeptID(), data: json))
        for stream in streams { stream.send(frame) }
    }

    /// What `sync` describes changed (the daemon's snapshot): the next joiner gets it encoded afresh.
    func stateChanged() { replay.stateChanged() }

    /// Heartbeats carry no id and need no order: they go to every stream at once.
    func sendHeartbeat() {
        // Iterate over a copy: a dropped stream removes itself from `streams`.
        for stream in streams { stream.send(StreamHub.heartbeat) }
    }

    /// Writes to the next slice of streams that are behind; goes on next turn if some are left.
    private func deliver() {
        var budget = StreamHub.streamsPerTurn
        while budget > 0, let (slot, after) = progress.next() {
            budget -= 1
            // May drop the stream, which moves another into its slot (`leave`): indices only, no copy.
            if let bytes = catchUp(after: after) {
                streams[slot].send(bytes)
            } else {
                // Behind by more frames than are kept (it cannot happen at 64 kept frames and
                // one build at a time): closed, the page reconnects and gets `sync`.
                streams[slot].close()
            }
        }
        if progress.isComplete { turns.stop() } else { turns.start() }
    }

    /// The frames after `id` as one buffer: the latest alone, or everything a slow turn missed.
    private func catchUp(after id: UInt64) -> SharedBytes? {
        if let bytes = catchUps[id] { return bytes }
        guard let frames = replay.frames(after: id), !frames.isEmpty else { return nil }
        let bytes = frames.count == 1 ? frames[0] : SharedBytes(joining: frames)
        catchUps[id] = bytes
        return bytes
    }

    /// Adds a stream and sends it the response `head`, then what it missed or the current
    /// state. `syncJSON` is only called when the state changed since `sync` was last encoded.
    func join(_ connection: HTTPConnection, head: [UInt8], lastEventID: String?, syncJSON: () -> String) {
        connection.streamSlot = streams.count
        streams.append(connection)
        // The greeting covers every frame so far, so the stream is up to date from here.
        progress.joined()
        let greeting = replay.greeting(joiningAfter: lastEventID) { id in
            SharedBytes(SSEFrame.retry(milliseconds: StreamHub.retryMilliseconds)
                        + SSEFrame.event(id: String(id), data: syncJSON()))
        }
        switch greeting {
        case .replay(let missed):
            connection.send(SharedBytes(head + SSEFrame.retry(milliseconds: StreamHub.retryMilliseconds)))
            for frame in missed { connection.send(frame) }
        case .sync(let retryAndSync, let then):
            // Head, `retry:` and `sync` in one write: each write to a loopback socket is a trip
            // through the kernel for both ends, and a storm of joiners is made of little else.
            connection.send(SharedBytes(head, then: retryAndSync))
            for frame in then { connection.send(frame) }
        }
    }

    /// Removes a stream; false if the connection was not one (or was already removed).
    @discardableResult
    func leave(_ connection: HTTPConnection) -> Bool {
        let slot = connection.streamSlot
        guard slot >= 0, slot < streams.count, streams[slot] === connection else { return false }
        let last = streams.removeLast()
        if slot < streams.count {
            streams[slot] = last
            last.streamSlot = slot
        }
        progress.removed(slot: slot)
        connection.streamSlot = -1
        return true
    }

    /// Ends every stream (shutdown); nothing is delivered after this.
    func closeAll() {
        for stream in streams { stream.close() }
        streams.removeAll()
        progress = DeliveryProgress(latest: progress.latest)
        turns.close()
    }
}

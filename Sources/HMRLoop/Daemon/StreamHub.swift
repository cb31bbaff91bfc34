// The open event streams, and the one place frames are sent to them.
//
// A frame is encoded once and the same bytes go to every stream. Recent frames are
// kept so a client that reconnects with `Last-Event-ID` is replayed what it missed.
// A stream that stops reading is dropped by its own write state; the loop over the
// others goes on untouched.

import HMRCore

final class StreamHub {
    private(set) var streams: [HTTPConnection] = []
    private var history: EventHistory<SharedBytes>
    /// The id of the latest `built` frame: the state a `sync` describes.
    private(set) var stateID: UInt64

    /// How long a browser waits before reconnecting a dropped stream.
    static let retryMilliseconds = 1_000
    static let heartbeat = SharedBytes(SSEFrame.heartbeat)

    init(baseID: UInt64) {
        history = EventHistory(capacity: 64, baseID: baseID)
        stateID = baseID
    }

    var count: Int { streams.count }

    /// Sends a payload to every stream and remembers it; returns its id.
    @discardableResult
    func broadcast(_ json: String, isState: Bool) -> UInt64 {
        var frame: SharedBytes?
        let id = history.append { id in
            let bytes = SharedBytes(SSEFrame.event(id: String(id), data: json))
            frame = bytes
            return bytes
        }
        if isState { stateID = id }
        send(frame!)
        return id
    }

    func sendHeartbeat() { send(StreamHub.heartbeat) }

    private func send(_ frame: SharedBytes) {
        // Iterate over a copy: a dropped stream removes itself from `streams`.
        for stream in streams { stream.send(frame) }
    }

    /// Adds a stream whose head was sent: replay what it missed, or the current state.
    func join(_ connection: HTTPConnection, lastEventID: String?, syncJSON: () -> String) {
        connection.streamSlot = streams.count
        streams.append(connection)
        connection.send(SharedBytes(SSEFrame.retry(milliseconds: StreamHub.retryMilliseconds)))
        if case .replay(let frames) = history.resume(after: lastEventID) {
            for frame in frames { connection.send(frame) }
            return
        }
        connection.send(SharedBytes(SSEFrame.event(id: String(stateID), data: syncJSON())))
        // A build under way when the client joined: it also gets the `building` frame.
        if case .replay(let frames) = history.resume(after: String(stateID)) {
            for frame in frames { connection.send(frame) }
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
        connection.streamSlot = -1
        return true
    }

    /// Ends every stream (shutdown).
    func closeAll() {
        for stream in streams { stream.close() }
        streams.removeAll()
    }
}

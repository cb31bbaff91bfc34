// One accepted TCP connection: it feeds bytes to the request-head parser, hands
// complete heads to its owner, and writes responses and stream frames.
//
// Writes go to the socket directly while nothing is queued (`uv_try_write`); only
// what the kernel does not take is queued, holding the shared frame alive. The
// per-client write state decides when a stream has fallen too far behind. A file
// body goes out a chunk at a time as the socket takes them (FileBody); meanwhile
// the connection reads no further request, so pipelined answers keep their order.
// The same holds while a request waits for a build to be published (`hold`).

import CLibUV
import HMRCore

protocol HTTPConnectionOwner: AnyObject {
    /// One buffer for every read: a read is consumed before the next one starts.
    var readBuffer: UnsafeMutableRawBufferPointer { get }
    func connection(_ connection: HTTPConnection, didReceive head: RequestHead)
    func connection(_ connection: HTTPConnection, didFail error: RequestError)
    func connectionDidClose(_ connection: HTTPConnection)
}

final class HTTPConnection {
    enum Mode { case readingHead, waiting, sendingBody, streaming, closing }

    private let handle: UnsafeMutablePointer<uv_tcp_t>
    private unowned let owner: HTTPConnectionOwner
    private var parser = RequestHeadParser()
    private(set) var writeState = ClientWriteState()
    private(set) var mode = Mode.readingHead
    /// When the head being read must be complete, or the body being sent must next
    /// make progress, on the loop clock (ConnectionDeadlines).
    var headDeadline = 0
    /// Position in the stream hub's list while streaming.
    var streamSlot = -1
    private var isClosed = false
    /// The file being sent as a response body, and what to call as chunks leave and when all have.
    private var body: (file: FileBody, progress: () -> Void, done: () -> Void)?
    /// Request bytes that came after a head whose body is still being sent (pipelining).
    private var heldInput: [UInt8] = []

    init(handle: UnsafeMutablePointer<uv_tcp_t>, owner: HTTPConnectionOwner) {
        self.handle = handle
        self.owner = owner
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
        uv_tcp_nodelay(handle, 1)
    }

    private var stream: UnsafeMutablePointer<uv_stream_t> { hmr_tcp_stream(handle) }

    func startReading() {
        let result = uv_read_start(stream, { raw, _, buf in
            guard let raw, let buf else { return }
            let connection = Unmanaged<HTTPConnection>.fromOpaque(raw.pointee.data).takeUnretainedValue()
            let shared = connection.owner.readBuffer
            buf.pointee = uv_buf_init(shared.baseAddress!.assumingMemoryBound(to: CChar.self), UInt32(shared.count))
        }, { raw, nread, buf in
            guard let raw else { return }
            let connection = Unmanaged<HTTPConnection>.fromOpaque(raw.pointee.data).takeUnretainedValue()
            if nread < 0 {
                connection.close()
            } else if nread > 0, let base = buf?.pointee.base {
                connection.received(UnsafeRawBufferPointer(start: base, count: nread))
            }
        })
        if result < 0 { close() }
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        // Loop for pipelined requests: each complete head is answered before the next is read.
        while mode == .readingHead && !isClosed && !rest.isEmpty {
            switch parser.feed(rest) {
            case .needMore:
                return
            case .failed(let error):
                owner.connection(self, didFail: error)
                return
            case .complete(let head, let consumed):
                rest = UnsafeRawBufferPointer(rebasing: rest[consumed...])
                parser.reset()
                owner.connection(self, didReceive: head)
            }
        }
        // The answer is a body still going out, or is yet to come: the next request waits for it.
        if (mode == .sendingBody || mode == .waiting) && !isClosed { heldInput.append(contentsOf: rest) }
    }

    /// The connection now carries an event stream: further input is ignored.
    func becomeStream() { mode = .streaming }

    /// The request just received is answered later: read nothing more until then.
    func hold() {
        guard !isClosed, mode == .readingHead else { return }
        mode = .waiting
        uv_read_stop(stream)
    }

    /// The held request is about to be answered, as if it had just arrived.
    func unhold() {
        if mode == .waiting && !isClosed { mode = .readingHead }
    }

    /// After a held request's answer: reads the requests that came behind it, unless the
    /// answer is a body still going out (which resumes when it ends) or the end.
    func resumeAfterHold() {
        if mode == .readingHead && !isClosed { resumeReading() }
    }

    /// Waits for the next request head on a kept-alive connection.
    func expectNextHead(deadline: Int) { headDeadline = deadline }

    enum SendResult { case sent, dropped }

    /// Sends bytes; a client that has fallen past the high-water mark is closed.
    @discardableResult
    func send(_ bytes: SharedBytes) -> SendResult {
        guard !isClosed, mode != .closing else { return .dropped }
        var offset = 0
        if writeState.canWriteDirectly {
            var buf = uv_buf_init(bytes.base.assumingMemoryBound(to: CChar.self), UInt32(bytes.count))
            let written = uv_try_write(stream, &buf, 1)
            if written == Int32(bytes.count) { return .sent }
            if written >= 0 {
                offset = Int(written)
            } else if written != UV_EAGAIN.rawValue {
                close()
                return .dropped
            }
        }
        return queue(bytes, from: offset)
    }

    private func queue(_ bytes: SharedBytes, from offset: Int) -> SendResult {
        let remaining = bytes.count - offset
        if writeState.queued(remaining) == .drop {
            close()
            return .dropped
        }
        let request = UnsafeMutablePointer<uv_write_t>.allocate(capacity: 1)
        request.pointee.data = Unmanaged.passRetained(PendingWrite(bytes: bytes, connection: self, count: remaining)).toOpaque()
        var buf = uv_buf_init((bytes.base + offset).assumingMemoryBound(to: CChar.self), UInt32(remaining))
        let result = uv_write(request, stream, &buf, 1) { request, status in
            guard let request else { return }
            let pending = Unmanaged<PendingWrite>.fromOpaque(request.pointee.data).takeRetainedValue()
            request.deallocate()
            pending.connection.writeCompleted(pending.count, status: status)
        }
        if result < 0 {
            Unmanaged<PendingWrite>.fromOpaque(request.pointee.data).release()
            request.deallocate()
            writeState.drained(remaining)
            close()
            return .dropped
        }
        return .sent
    }

    private func writeCompleted(_ count: Int, status: Int32) {
        writeState.drained(count)
        if status < 0 {
            close()
        } else if let body {
            body.progress()
            pumpBody()
        }
    }

    /// Sends `file` after what is queued, a chunk at a time, reading no further request
    /// meanwhile. `progress` is called as chunks leave, `done` once all have (unless the
    /// connection closed first).
    func sendBody(_ file: FileBody, progress: @escaping () -> Void, done: @escaping () -> Void) {
        guard !isClosed, mode == .readingHead else {
            file.release()
            return
        }
        mode = .sendingBody
        uv_read_stop(stream)
        body = (file, progress, done)
        pumpBody()
    }

    /// Chunks per turn of the loop while the socket takes everything at once: a fast
    /// reader of a large file must not keep the loop from everyone else.
    private static let chunksPerTurn = 4

    private func pumpBody() {
        var sent = 0
        while let body, !isClosed, writeState.queuedBytes < FileBody.chunkSize {
            switch body.file.next() {
            case .chunk(let bytes):
                sent += 1
                // The last chunk of a turn is queued even if the socket would take it:
                // its completion, on the loop's next turn, sends the rest.
                let result = sent < HTTPConnection.chunksPerTurn ? send(bytes) : queue(bytes, from: 0)
                if result == .dropped || sent >= HTTPConnection.chunksPerTurn { return }
            case .end:
                self.body = nil
                mode = .readingHead
                body.done()
                if mode == .readingHead && !isClosed { resumeReading() }
                return
            case .failed:
                // The promised length cannot be met: closing is the only honest end.
                close()
                return
            }
        }
    }

    /// After a body: answers what was held back, then reads again.
    private func resumeReading() {
        let held = heldInput
        heldInput = []
        if !held.isEmpty { held.withUnsafeBytes { received($0) } }
        if mode == .readingHead && !isClosed { startReading() }
    }

    /// Sends a last response, then closes once it has left (a half-close lets the peer read it all).
    func sendAndClose(_ bytes: SharedBytes) {
        send(bytes)
        finish()
    }

    /// Ends the connection after what is queued has been written.
    func finish() {
        guard !isClosed, mode != .closing else { return }
        mode = .closing
        uv_read_stop(stream)
        let request = UnsafeMutablePointer<uv_shutdown_t>.allocate(capacity: 1)
        request.pointee.data = Unmanaged.passRetained(self).toOpaque()
        let result = uv_shutdown(request, stream) { request, _ in
            guard let request else { return }
            let connection = Unmanaged<HTTPConnection>.fromOpaque(request.pointee.data).takeRetainedValue()
            request.deallocate()
            connection.close()
        }
        if result < 0 {
            Unmanaged<HTTPConnection>.fromOpaque(request.pointee.data).release()
            request.deallocate()
            close()
        }
    }

    /// Closes at once; queued writes are cancelled.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        mode = .closing
        body?.file.release()
        body = nil
        owner.connectionDidClose(self)
        closeOwnedHandle(hmr_tcp_handle(handle))
    }

    var closed: Bool { isClosed }
}

/// What a queued write keeps alive until libuv reports it done.
private final class PendingWrite {
    let bytes: SharedBytes
    let connection: HTTPConnection
    let count: Int

    init(bytes: SharedBytes, connection: HTTPConnection, count: Int) {
        self.bytes = bytes
        self.connection = connection
        self.count = count
    }
}

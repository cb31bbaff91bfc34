// One accepted TCP connection: it feeds bytes to the request-head parser, hands
// complete heads to its owner (and a POST's body, read when the owner asks for it),
// and writes responses and stream frames.
//
// Writes go to the socket directly while nothing is queued (`uv_try_write`); only
// what the kernel does not take is queued, holding the shared frame alive. The
// per-client write state decides when a stream has fallen too far behind. A file
// body goes out a chunk at a time as the socket takes them (FileBody); meanwhile
// the connection reads no further request, so pipelined answers keep their order.
// The same holds while a request waits for a build to be published (`hold`). When to
// read, keep input, arm a deadline or close is the core's ConnectionLifecycle.

import CLibUV
import Glibc
import HMRCore

/// Who takes a proxied request's input (its body, or a tunnel's bytes) and hears how
/// the connection's writes drain (ProxyExchange).
protocol ConnectionPipe: AnyObject {
    /// Returns how many of `bytes` were the exchange's; the rest is the next request's.
    func clientSent(_ bytes: UnsafeRawBufferPointer) -> Int
    /// A queued write left.
    func clientDrained()
    /// The connection closed (the browser went, or a write failed).
    func clientClosed()
}

protocol HTTPConnectionOwner: AnyObject {
    /// One buffer for every read: a read is consumed before the next one starts.
    var readBuffer: UnsafeMutableRawBufferPointer { get }
    /// The one timer for every connection's deadline.
    var deadlines: ConnectionDeadlines { get }
    func connection(_ connection: HTTPConnection, didReceive head: RequestHead)
    func connection(_ connection: HTTPConnection, didFail error: RequestError)
    func connectionDidClose(_ connection: HTTPConnection)
}

final class HTTPConnection {
    private let handle: UnsafeMutablePointer<uv_tcp_t>
    private unowned let owner: HTTPConnectionOwner
    private var parser = RequestHeadParser()
    private(set) var writeState = ClientWriteState()
    private(set) var lifecycle = ConnectionLifecycle()
    /// Position in the stream hub's list while streaming; the hub's to keep.
    var streamSlot = -1
    /// The file being sent as a response body, and what to call once all of it has left.
    private var body: (file: FileBody, done: () -> Void)?
    /// Request bytes that came while the answer before them was pending (pipelining).
    private var keptInput: [UInt8] = []
    /// The proxied exchange in progress (--proxy), which takes the input while it lasts.
    private var pipe: ConnectionPipe?
    /// A POST's body being read, and who takes it once it is whole.
    private var bodyReader: (reader: RequestBodyReader, then: ([UInt8]) -> Void)?

    init(handle: UnsafeMutablePointer<uv_tcp_t>, owner: HTTPConnectionOwner) {
        self.handle = handle
        self.owner = owner
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
        uv_tcp_nodelay(handle, 1)
    }

    var closed: Bool { lifecycle.isClosed }

    /// Hands an event to the lifecycle and carries out what it says.
    private func handle(_ event: ConnectionLifecycle.Event) {
        let now = Int(uv_now(hmr_tcp_handle(handle).pointee.loop))
        for action in lifecycle.handle(event, now: now) {
            switch action {
            case .startReading: startReading()
            case .stopReading: uv_read_stop(stream)
            case .replayKeptInput: replayKeptInput()
            case .watchDeadline(let deadline): owner.deadlines.watch(self, until: deadline)
            case .shutdown: shutdown()
            case .close: closeHandle()
            }
        }
    }

    func open() { handle(.opened) }
    /// The request just received is answered later: read nothing more until then.
    func hold() { handle(.held) }
    /// The held request is about to be answered, as if it had just arrived.
    func unhold() { handle(.released) }
    /// A whole answer went out: read the next request, or end.
    func answered(keepAlive: Bool) { handle(.answered(keepAlive: keepAlive)) }
    /// The connection now carries an event stream: further input is ignored.
    func becomeStream() { handle(.becameStream) }
    /// Ends the connection after what is queued has been written.
    func finish() { handle(.finish) }
    /// Closes at once; queued writes are cancelled.
    func close() { handle(.failed) }
    /// The request just read goes to the backend: `pipe` takes its body and hears the writes drain.
    func startProxying(_ pipe: ConnectionPipe) {
        self.pipe = pipe
        handle(.proxyStarted)
        writeState.allowQueue(upTo: HTTPConnection.proxyHighWater)
    }
    /// The proxied answer is out (or the tunnel ended): the pipe lets go.
    func endProxying() { pipe = nil }
    /// The backend agreed to an upgrade: every byte from now on is the pipe's.
    func becomeTunnel() { handle(.becameTunnel) }
    /// The browser's IP address, for the backend's X-Forwarded-For: asked once per connection.
    lazy var peerAddress: String? = {
        var storage = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutableBytes(of: &storage) { raw -> String? in
            let address = raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)
            guard uv_tcp_getpeername(handle, address, &length) == 0 else { return nil }
            var name = [CChar](repeating: 0, count: 64)
            let result = address.pointee.sa_family == sa_family_t(AF_INET6)
                ? uv_ip6_name(raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self), &name, name.count)
                : uv_ip4_name(raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self), &name, name.count)
            return result == 0 ? String(cString: name) : nil
        }
    }()

    /// The socket's descriptor, for a body spliced straight through (SplicePump).
    var fileDescriptor: Int32? { descriptor(of: hmr_tcp_handle(handle)) }

    /// Backpressure for a proxied body or tunnel.
    func pauseInput() { handle(.inputPaused) }
    func resumeInput() { handle(.inputResumed) }

    /// Queued bytes a proxied answer may reach (its reads pause far below this).
    static let proxyHighWater = 16 << 20
    /// Requests a client may pipeline behind a proxied one before it is cut off.
    static let keptInputLimit = 1 << 20

    /// The deadline timer came by.
    func deadlineCame() { handle(.deadlineCame) }

    private var stream: UnsafeMutablePointer<uv_stream_t> { hmr_tcp_stream(handle) }

    private func startReading() {
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

    /// Reads the body of the request just received (the bytes after its head first),
    /// then hands it to `then`, which answers. A body over the limit, badly framed or too
    /// slow is refused (413, 400) or closed, as a bad head is.
    func readBody(_ body: RequestBodyToRead, limit: Int, then: @escaping ([UInt8]) -> Void) {
        guard lifecycle.readsHeads else { return }
        var reader = RequestBodyReader(framing: body.framing, limit: limit)
        // An empty feed: a declared length over the limit is refused before any of it is sent.
        switch reader.feed([UInt8]()) {
        case .failed(let error):
            return owner.connection(self, didFail: error)
        case .complete(let bytes, _):
            return then(bytes)
        case .needMore:
            break
        }
        handle(.bodyExpected)
        bodyReader = (reader, then)
        if body.expectsContinue { send(SharedBytes(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))) }
    }

    /// Feeds the body being read; returns how many of `bytes` were its.
    private func feedBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let (fed, then) = bodyReader else { return 0 }
        var reader = fed
        let outcome = reader.feed(bytes)
        bodyReader = (reader, then)
        switch outcome {
        case .needMore:
            return bytes.count
        case .failed(let error):
            bodyReader = nil
            owner.connection(self, didFail: error)
            return bytes.count
        case .complete(let body, let consumed):
            bodyReader = nil
            then(body)
            return consumed
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        // Loop for pipelined requests: each complete head is answered before the next is read.
        while !rest.isEmpty && (lifecycle.readsHeads || lifecycle.readsBody || pipe != nil) {
            if let pipe {
                let consumed = pipe.clientSent(rest)
                rest = UnsafeRawBufferPointer(rebasing: rest[consumed...])
                break
            }
            if lifecycle.readsBody {
                rest = UnsafeRawBufferPointer(rebasing: rest[feedBody(rest)...])
                continue
            }
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
        // The answer is pending (held, or a body going out): the next request waits for it.
        if lifecycle.keepsInput { keptInput.append(contentsOf: rest) }
        if keptInput.count > HTTPConnection.keptInputLimit { close() }
    }

    /// The requests that came behind an answer that was pending.
    private func replayKeptInput() {
        let kept = keptInput
        keptInput = []
        if !kept.isEmpty { kept.withUnsafeBytes { received($0) } }
    }

    enum SendResult { case sent, dropped }

    /// Sends bytes; a client that has fallen past the high-water mark is closed.
    @discardableResult
    func send(_ bytes: SharedBytes) -> SendResult {
        guard !closed, lifecycle.phase != .finishing else { return .dropped }
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
        // The write keeps this connection alive until libuv is done with it.
        let queued = queueWrite(bytes, from: offset, on: stream) { count, status in
            self.writeCompleted(count, status: status)
        }
        if !queued {
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
        } else if let pipe {
            pipe.clientDrained()
        } else if body != nil {
            handle(.chunkLeft)
            pumpBody()
        }
    }

    /// Sends `file` after what is queued, a chunk at a time, reading no further request
    /// meanwhile; `done` is called once all of it has left (unless the connection closed first).
    func sendBody(_ file: FileBody, done: @escaping () -> Void) {
        guard lifecycle.readsHeads else {
            file.release()
            return
        }
        handle(.bodyStarted)
        body = (file, done)
        pumpBody()
    }

    /// Chunks per turn of the loop while the socket takes everything at once: a fast
    /// reader of a large file must not keep the loop from everyone else.
    private static let chunksPerTurn = 4

    private func pumpBody() {
        var sent = 0
        while let body, !closed, writeState.queuedBytes < FileBody.chunkSize {
            switch body.file.next() {
            case .chunk(let bytes):
                sent += 1
                // The last chunk of a turn is queued even if the socket would take it:
                // its completion, on the loop's next turn, sends the rest.
                let result = sent < HTTPConnection.chunksPerTurn ? send(bytes) : queue(bytes, from: 0)
                if result == .dropped || sent >= HTTPConnection.chunksPerTurn { return }
            case .end:
                self.body = nil
                body.done()
                return
            case .failed:
                // The promised length cannot be met: closing is the only honest end.
                close()
                return
            }
        }
    }

    /// Sends a last response, then closes once it has left (a half-close lets the peer read it all).
    func sendAndClose(_ bytes: SharedBytes) {
        send(bytes)
        finish()
    }

    /// Shuts the socket down once the queued writes are out (a half-close lets the peer read
    /// them all), and closes then.
    private func shutdown() {
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

    private func closeHandle() {
        body?.file.release()
        body = nil
        bodyReader = nil
        let pipe = self.pipe
        self.pipe = nil
        pipe?.clientClosed()
        owner.connectionDidClose(self)
        closeOwnedHandle(hmr_tcp_handle(handle))
    }
}

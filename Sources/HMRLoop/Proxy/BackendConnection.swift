// One TCP connection to the --proxy backend: connect, write with accounting, read
// with pause and resume, close. It decides nothing: whoever uses it now (an exchange,
// or the pool while it idles) is told what happened and says what to do.
//
// The handle's `data` retains this object until the close callback (closeOwnedHandle);
// a connect request retains it until its callback, a write (queueWrite) until its own.

import CLibUV
import Glibc

protocol BackendConnectionUser: AnyObject {
    func backendConnected(_ backend: BackendConnection)
    func backend(_ backend: BackendConnection, failedToConnect error: UVError)
    func backend(_ backend: BackendConnection, received bytes: UnsafeRawBufferPointer)
    /// The backend closed its side or the connection failed; nothing more comes.
    func backendEnded(_ backend: BackendConnection)
    /// A queued write left.
    func backendDrained(_ backend: BackendConnection)
}

final class BackendConnection {
    private let handle: UnsafeMutablePointer<uv_tcp_t>
    private let readBuffer: UnsafeMutableRawBufferPointer
    weak var user: BackendConnectionUser?
    private(set) var connected = false
    private(set) var closed = false
    private(set) var queuedBytes = 0
    /// libuv refuses a second uv_read_start (UV_EALREADY).
    private var reading = false

    init(loop: EventLoop, readBuffer: UnsafeMutableRawBufferPointer) {
        self.readBuffer = readBuffer
        handle = UnsafeMutablePointer<uv_tcp_t>.allocate(capacity: 1)
        uv_tcp_init(loop.raw, handle)
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
        uv_tcp_nodelay(handle, 1)
    }

    private var stream: UnsafeMutablePointer<uv_stream_t> { hmr_tcp_stream(handle) }

    /// Connects to `address`; the user hears `backendConnected` or `failedToConnect`.
    func connect(to address: UnsafePointer<sockaddr>) {
        let request = UnsafeMutablePointer<uv_connect_t>.allocate(capacity: 1)
        request.pointee.data = Unmanaged.passRetained(self).toOpaque()
        let result = uv_tcp_connect(request, handle, address) { request, status in
            guard let request else { return }
            let backend = Unmanaged<BackendConnection>.fromOpaque(request.pointee.data).takeRetainedValue()
            request.deallocate()
            backend.didConnect(status)
        }
        if result < 0 {
            Unmanaged<BackendConnection>.fromOpaque(request.pointee.data).release()
            request.deallocate()
            // Told on the next turn, like any connect failure, so the caller's state is set up first.
            let error = UVError(result)
            connectFailure = error
            deferFailure()
        }
    }

    private var connectFailure: UVError?

    private func deferFailure() {
        let idle = UnsafeMutablePointer<uv_idle_t>.allocate(capacity: 1)
        uv_idle_init(handle.pointee.loop, idle)
        idle.pointee.data = Unmanaged.passRetained(self).toOpaque()
        uv_idle_start(idle) { idle in
            guard let idle else { return }
            uv_idle_stop(idle)
            let backend = Unmanaged<BackendConnection>.fromOpaque(idle.pointee.data).takeUnretainedValue()
            closeOwnedHandle(hmr_idle_handle(idle))
            backend.didConnect(backend.connectFailure?.code ?? -1)
        }
    }

    private func didConnect(_ status: Int32) {
        guard !closed else { return }
        if status < 0 {
            user?.backend(self, failedToConnect: UVError(status))
        } else {
            connected = true
            user?.backendConnected(self)
        }
    }

    /// The socket's descriptor, for a body spliced straight through (SplicePump).
    var fileDescriptor: Int32? { descriptor(of: hmr_tcp_handle(handle)) }

    func startReading() {
        guard connected, !closed, !reading else { return }
        reading = true
        let result = uv_read_start(stream, { raw, _, buf in
            guard let raw, let buf else { return }
            let backend = Unmanaged<BackendConnection>.fromOpaque(raw.pointee.data).takeUnretainedValue()
            buf.pointee = uv_buf_init(backend.readBuffer.baseAddress!.assumingMemoryBound(to: CChar.self),
                                      UInt32(backend.readBuffer.count))
        }, { raw, nread, buf in
            guard let raw else { return }
            let backend = Unmanaged<BackendConnection>.fromOpaque(raw.pointee.data).takeUnretainedValue()
            if nread < 0 {
                backend.ended()
            } else if nread > 0, let base = buf?.pointee.base {
                backend.user?.backend(backend, received: UnsafeRawBufferPointer(start: base, count: nread))
            }
        })
        if result < 0 { ended() }
    }

    func stopReading() {
        guard connected, !closed, reading else { return }
        reading = false
        uv_read_stop(stream)
    }

    private func ended() {
        guard !closed else { return }
        stopReading()
        user?.backendEnded(self)
    }

    /// Sends `bytes` after what is queued; a failure ends the connection (`backendEnded`).
    func write(_ bytes: SharedBytes) {
        guard connected, !closed, bytes.count > 0 else { return }
        var offset = 0
        if queuedBytes == 0 {
            var buf = uv_buf_init(bytes.base.assumingMemoryBound(to: CChar.self), UInt32(bytes.count))
            let written = uv_try_write(stream, &buf, 1)
            if written == Int32(bytes.count) { return }
            if written >= 0 {
                offset = Int(written)
            } else if written != UV_EAGAIN.rawValue {
                return ended()
            }
        }
        let remaining = bytes.count - offset
        queuedBytes += remaining
        let queued = queueWrite(bytes, from: offset, on: stream) { count, status in
            self.writeCompleted(count, status: status)
        }
        if !queued {
            queuedBytes -= remaining
            ended()
        }
    }

    private func writeCompleted(_ count: Int, status: Int32) {
        queuedBytes -= count
        guard !closed else { return }
        if status < 0 { return ended() }
        user?.backendDrained(self)
    }

    /// Closes at once; queued writes are cancelled. Nobody is told.
    func close() {
        guard !closed else { return }
        closed = true
        user = nil
        closeOwnedHandle(hmr_tcp_handle(handle))
    }
}

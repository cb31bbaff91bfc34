// The listening socket. Accepted connections are handed to `onConnection` as
// initialised, not yet reading, libuv TCP handles.
//
// Running out of file descriptors is handled here, in three layers:
// 1. A connection whose descriptor would eat into the reserve kept for builds
//    (DescriptorBudget) is turned away at once, with `turnAwayResponse` if set.
// 2. Should the table fill anyway, libuv sheds load by itself: it keeps a spare
//    descriptor, and on EMFILE closes it, accepts and closes what is pending, and
//    opens it again (`uv__emfile_trick` in libuv's stream.c).
// 3. Only when that spare is gone does libuv pass EMFILE on to us, and then it
//    calls again at once, forever, as nothing frees a descriptor. So the socket is
//    closed (freeing one and ending libuv's accept loop) and a new one listens on
//    the same address; what was pending is refused, later connections are not.
// What is worth saying about it goes to `onEvent`, once per stretch (LoadShedding).

import CLibUV
import Glibc
import HMRCore

public final class TCPListener {
    public enum Event {
        /// Connections are being turned away: the table is nearly full at `limit`.
        case turningAway(limit: Int)
        /// A connection was accepted again after `turnedAway` were not.
        case acceptingAgain(turnedAway: Int)
        /// Accepting failed for another reason (already throttled).
        case acceptFailed(UVError)
        /// The socket could not be opened again after EMFILE: no more connections.
        case stoppedListening(UVError)
    }

    private var handle: UnsafeMutablePointer<uv_tcp_t>
    private let loop: EventLoop
    private var onConnection: ((UnsafeMutablePointer<uv_tcp_t>) -> Void)?
    private var onEvent: ((Event) -> Void)?
    private var isClosed = false
    private var address = sockaddr_storage()
    private var shedding = LoadShedding()
    private var failureWarnings = WarningThrottle()

    /// Read once: the limit a process starts with is the one it keeps.
    public let budget = DescriptorBudget(limit: TCPListener.openFileLimit())

    /// Sent (best effort, never waited for) to a connection turned away.
    public var turnAwayResponse: SharedBytes?

    /// How many connections the kernel may hold for us between accepts.
    static let backlog: Int32 = 1024

    public init(loop: EventLoop) {
        self.loop = loop
        handle = TCPListener.makeHandle(loop.raw)
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
    }

    /// Binds and listens; returns the port actually bound (useful for port 0).
    public func listen(host: String, port: Int,
                       onConnection: @escaping (UnsafeMutablePointer<uv_tcp_t>) -> Void,
                       onEvent: @escaping (Event) -> Void) throws(UVError) -> Int {
        let isIPv6 = host.contains(":")
        try withUnsafeMutableBytes(of: &address) { (raw) throws(UVError) in
            if isIPv6 {
                try UVError.check(uv_ip6_addr(host, Int32(port), raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self)))
            } else {
                try UVError.check(uv_ip4_addr(host, Int32(port), raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self)))
            }
        }
        self.onConnection = onConnection
        self.onEvent = onEvent
        try bindAndListen()
        // Keep the port actually bound, so a socket opened again (layer 3) gets the same one.
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        try withUnsafeMutableBytes(of: &address) { (raw) throws(UVError) in
            try UVError.check(uv_tcp_getsockname(handle, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length))
        }
        return withUnsafeBytes(of: &address) { raw in
            let family = raw.load(as: sockaddr.self).sa_family
            let portBE = family == sa_family_t(AF_INET6)
                ? raw.load(as: sockaddr_in6.self).sin6_port
                : raw.load(as: sockaddr_in.self).sin_port
            return Int(UInt16(bigEndian: portBE))
        }
    }

    private func bindAndListen() throws(UVError) {
        try withUnsafeBytes(of: &address) { (raw) throws(UVError) in
            try UVError.check(uv_tcp_bind(handle, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), 0))
        }
        try UVError.check(uv_listen(hmr_tcp_stream(handle), TCPListener.backlog) { server, status in
            guard let server else { return }
            let listener = Unmanaged<TCPListener>.fromOpaque(server.pointee.data).takeUnretainedValue()
            listener.accept(status: status)
        })
    }

    private func accept(status: Int32) {
        guard !isClosed else { return }
        if status < 0 {
            let error = UVError(status)
            if error == .tooManyOpenFiles || error == TCPListener.tooManyFilesInSystem {
                reopen()
            } else if failureWarnings.allows(now: loop.now) {
                onEvent?(.acceptFailed(error))
            }
            return
        }
        let client = TCPListener.makeHandle(loop.raw)
        let result = uv_accept(hmr_tcp_stream(handle), hmr_tcp_stream(client))
        if result < 0 {
            uv_close(hmr_tcp_handle(client)) { raw in raw?.deallocate() }
            if failureWarnings.allows(now: loop.now) { onEvent?(.acceptFailed(UVError(result))) }
            return
        }
        var descriptor: uv_os_fd_t = -1
        uv_fileno(hmr_tcp_handle(client), &descriptor)
        guard budget.admits(descriptor: Int(descriptor)) else {
            turnAway(client)
            return
        }
        if let count = shedding.accepted() { onEvent?(.acceptingAgain(turnedAway: count)) }
        onConnection?(client)
    }

    private func turnAway(_ client: UnsafeMutablePointer<uv_tcp_t>) {
        if let response = turnAwayResponse {
            // One try: the socket is new, so a short response fits its buffer, and
            // waiting for it would hold the very descriptor we are short of.
            var buf = uv_buf_init(response.base.assumingMemoryBound(to: CChar.self), UInt32(response.count))
            _ = uv_try_write(hmr_tcp_stream(client), &buf, 1)
        }
        // Closing frees the descriptor at once; only the handle's memory waits for the callback.
        uv_close(hmr_tcp_handle(client)) { raw in raw?.deallocate() }
        noteTurnedAway()
    }

    private func noteTurnedAway() {
        if shedding.turnedAway(now: loop.now) { onEvent?(.turningAway(limit: budget.limit)) }
    }

    /// Layer 3: a new socket on the same address in place of this one.
    private func reopen() {
        noteTurnedAway()
        // Initialised before the old socket goes: libuv's handle setup would otherwise
        // spend the freed descriptor on its spare, and the new socket would get none.
        let fresh = TCPListener.makeHandle(loop.raw)
        fresh.pointee.data = Unmanaged.passRetained(self).toOpaque()
        closeOwnedHandle(hmr_tcp_handle(handle))
        handle = fresh
        do {
            try bindAndListen()
        } catch {
            isClosed = true
            onConnection = nil
            closeOwnedHandle(hmr_tcp_handle(handle))
            onEvent?(.stoppedListening(error))
            onEvent = nil
        }
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        onConnection = nil
        onEvent = nil
        closeOwnedHandle(hmr_tcp_handle(handle))
    }

    private static func makeHandle(_ loop: UnsafeMutablePointer<uv_loop_t>) -> UnsafeMutablePointer<uv_tcp_t> {
        let handle = UnsafeMutablePointer<uv_tcp_t>.allocate(capacity: 1)
        uv_tcp_init(loop, handle)
        return handle
    }

    private static let tooManyFilesInSystem = UVError(Int32(UV_ENFILE.rawValue))

    /// The soft open-file limit; RLIM_INFINITY (all bits set) clamps to as many as an Int holds.
    private static func openFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return Int.max }
        return Int(clamping: limit.rlim_cur)
    }
}

// The listening socket. Accepted connections are handed to `onConnection` as
// initialised, not yet reading, libuv TCP handles.

import CLibUV
import Glibc

public final class TCPListener {
    private let handle: UnsafeMutablePointer<uv_tcp_t>
    private let loop: EventLoop
    private var onConnection: ((UnsafeMutablePointer<uv_tcp_t>) -> Void)?
    private var onAcceptError: ((UVError) -> Void)?
    private var isClosed = false

    /// How many connections the kernel may hold for us between accepts.
    static let backlog: Int32 = 1024

    public init(loop: EventLoop) {
        self.loop = loop
        handle = .allocate(capacity: 1)
        uv_tcp_init(loop.raw, handle)
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
    }

    /// Binds and listens; returns the port actually bound (useful for port 0).
    public func listen(host: String, port: Int,
                       onConnection: @escaping (UnsafeMutablePointer<uv_tcp_t>) -> Void,
                       onAcceptError: @escaping (UVError) -> Void) throws(UVError) -> Int {
        var storage = sockaddr_storage()
        let isIPv6 = host.contains(":")
        try withUnsafeMutableBytes(of: &storage) { (raw) throws(UVError) in
            if isIPv6 {
                try UVError.check(uv_ip6_addr(host, Int32(port), raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self)))
            } else {
                try UVError.check(uv_ip4_addr(host, Int32(port), raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self)))
            }
        }
        try withUnsafeBytes(of: &storage) { (raw) throws(UVError) in
            try UVError.check(uv_tcp_bind(handle, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), 0))
        }
        self.onConnection = onConnection
        self.onAcceptError = onAcceptError
        try UVError.check(uv_listen(hmr_tcp_stream(handle), TCPListener.backlog) { server, status in
            guard let server else { return }
            let listener = Unmanaged<TCPListener>.fromOpaque(server.pointee.data).takeUnretainedValue()
            listener.accept(status: status)
        })
        var bound = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        try withUnsafeMutableBytes(of: &bound) { (raw) throws(UVError) in
            try UVError.check(uv_tcp_getsockname(handle, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length))
        }
        return withUnsafeBytes(of: &bound) { raw in
            let family = raw.load(as: sockaddr.self).sa_family
            let portBE = family == sa_family_t(AF_INET6)
                ? raw.load(as: sockaddr_in6.self).sin6_port
                : raw.load(as: sockaddr_in.self).sin_port
            return Int(UInt16(bigEndian: portBE))
        }
    }

    private func accept(status: Int32) {
        guard !isClosed else { return }
        if status < 0 {
            onAcceptError?(UVError(status))
            return
        }
        let client = UnsafeMutablePointer<uv_tcp_t>.allocate(capacity: 1)
        uv_tcp_init(loop.raw, client)
        let result = uv_accept(hmr_tcp_stream(handle), hmr_tcp_stream(client))
        if result < 0 {
            uv_close(hmr_tcp_handle(client)) { raw in raw?.deallocate() }
            onAcceptError?(UVError(result))
            return
        }
        onConnection?(client)
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        onConnection = nil
        onAcceptError = nil
        closeOwnedHandle(hmr_tcp_handle(handle))
    }
}

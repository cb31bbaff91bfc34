// The --proxy backend's addresses and its idle connections, kept alive between
// requests so a page's twenty assets do not cost twenty connects.
//
// An idle connection is still read: the backend closing it, or sending anything
// unasked, ends it here rather than in the middle of the next request.

import CLibUV
import Glibc
import HMRCore

final class BackendPool: BackendConnectionUser {
    let target: ProxyTarget
    let loop: EventLoop
    /// The backends' reads, one at a time as the daemon's are, but larger: a download
    /// then costs a quarter of the reads and writes.
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    private var addresses: [sockaddr_storage]
    /// The address that answered last: tried first (a name may resolve to ::1 and
    /// 127.0.0.1, and a dev server often listens on only one).
    private var preferred = 0
    private var idle: [BackendConnection] = []
    /// Kept beyond this, a connection is closed instead: more than a browser opens at once.
    static let maxIdle = 16

    /// Resolves the backend's host now, once: at startup, where a name that does not
    /// resolve is one clear line rather than a 502 on every request.
    init(target: ProxyTarget, loop: EventLoop) throws(StartupError) {
        self.target = target
        self.loop = loop
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(target.addressHost, String(target.port), &hints, &list)
        guard status == 0, let first = list else {
            throw StartupError("--proxy: cannot resolve \(target.host): \(String(cString: gai_strerror(status))); "
                + "give the backend's address, such as --proxy http://127.0.0.1:8000")
        }
        defer { freeaddrinfo(first) }
        var found: [sockaddr_storage] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            var storage = sockaddr_storage()
            withUnsafeMutableBytes(of: &storage) { raw in
                raw.baseAddress!.copyMemory(from: info.pointee.ai_addr, byteCount: Int(info.pointee.ai_addrlen))
            }
            found.append(storage)
            entry = info.pointee.ai_next
        }
        addresses = found
    }

    deinit { readBuffer.deallocate() }

    var addressCount: Int { addresses.count }

    /// An idle connection, or nil when there is none.
    func takeIdle() -> BackendConnection? {
        while let backend = idle.popLast() {
            if !backend.closed {
                backend.stopReading()
                return backend
            }
        }
        return nil
    }

    /// A new connection to the address tried `attempt` places after the preferred one.
    func connect(attempt: Int, for user: BackendConnectionUser) -> BackendConnection {
        let backend = BackendConnection(loop: loop, readBuffer: readBuffer)
        backend.user = user
        var address = addresses[(preferred + attempt) % addresses.count]
        withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { backend.connect(to: $0) }
        }
        return backend
    }

    /// The address tried `attempt` places after the preferred one answered: prefer it.
    func answered(attempt: Int) {
        preferred = (preferred + attempt) % addresses.count
    }

    /// A connection whose last answer was read whole, for the next request.
    func keep(_ backend: BackendConnection) {
        guard !backend.closed else { return }
        guard idle.count < BackendPool.maxIdle else { return backend.close() }
        backend.user = self
        idle.append(backend)
        backend.startReading()
    }

    /// At shutdown.
    func closeAll() {
        for backend in idle { backend.close() }
        idle = []
    }

    func backendConnected(_ backend: BackendConnection) {}
    func backend(_ backend: BackendConnection, failedToConnect error: UVError) { drop(backend) }
    func backend(_ backend: BackendConnection, received bytes: UnsafeRawBufferPointer) { drop(backend) }
    func backendEnded(_ backend: BackendConnection) { drop(backend) }
    func backendDrained(_ backend: BackendConnection) {}

    private func drop(_ backend: BackendConnection) {
        idle.removeAll { $0 === backend }
        backend.close()
    }
}

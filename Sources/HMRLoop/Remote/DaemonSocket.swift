// A blocking TCP client for talking to a running daemon, used by `hmrd status` and
// `hmrd wait`: connect, send one request, read with a deadline.
//
// Plain sockets and poll(2), no event loop: these commands do one thing and exit.
// Every wait has a deadline on the monotonic clock (nil waits for ever), so a
// daemon that stops answering cannot hang a script.

import CLibUV
import Glibc

public enum ReachFailure: Error {
    /// Nothing listens there (ECONNREFUSED on every address).
    case refused
    case timedOut
    case failed(String)
}

/// Milliseconds on the monotonic clock, for deadlines.
public func monotonicMilliseconds() -> Int {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int(now.tv_sec) * 1_000 + Int(now.tv_nsec) / 1_000_000
}

public final class DaemonSocket {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }

    /// Connects to the first address of `host` that accepts.
    public static func connect(host: String, port: Int, deadline: Int?) throws(ReachFailure) -> DaemonSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .failed("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var lastFailure = ReachFailure.refused
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            do {
                return try connect(to: info.pointee, deadline: deadline)
            } catch .refused {
                continue
            } catch {
                lastFailure = error
            }
        }
        throw lastFailure
    }

    private static func connect(to info: addrinfo, deadline: Int?) throws(ReachFailure) -> DaemonSocket {
        let fd = socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                        | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .failed(String(cString: strerror(errno))) }
        let connection = DaemonSocket(fd: fd)
        if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) < 0 {
            guard errno == EINPROGRESS else { throw failure(errno) }
            try connection.waitFor(Int16(POLLOUT), deadline: deadline)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error != 0 { throw failure(error) }
        }
        return connection
    }

    private static func failure(_ code: Int32) -> ReachFailure {
        code == ECONNREFUSED ? .refused : .failed(String(cString: strerror(code)))
    }

    public func send(_ text: String, deadline: Int?) throws(ReachFailure) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                offset += n
            } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
                try waitFor(Int16(POLLOUT), deadline: deadline)
            } else {
                throw DaemonSocket.failure(errno)
            }
        }
    }

    /// The next bytes that arrive (up to 64 KiB); empty once the daemon closed the connection.
    public func receive(deadline: Int?) throws(ReachFailure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n >= 0 { return Array(buffer[..<n]) }
            if errno == ECONNRESET { return [] }
            guard errno == EAGAIN || errno == EINTR else { throw DaemonSocket.failure(errno) }
            try waitFor(Int16(POLLIN), deadline: deadline)
        }
    }

    private func waitFor(_ events: Int16, deadline: Int?) throws(ReachFailure) {
        while true {
            let left = deadline.map { max(0, $0 - monotonicMilliseconds()) }
            if left == 0 { throw .timedOut }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(clamping: left ?? -1))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw DaemonSocket.failure(errno) }
        }
    }
}

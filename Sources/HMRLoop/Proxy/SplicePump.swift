// Moves a proxied body of known length from the backend's socket to the browser's
// with splice(2), through a pipe, never through hmrd's memory: a 50 MB download
// then costs the kernel's page moves rather than two copies in and out of hmrd.
//
// Both sockets belong to their libuv handles, which read and write nothing meanwhile
// (the exchange stops them). The pump watches duplicates of their descriptors with
// uv_poll: epoll tells a duplicate from the original, so the two never collide. Its
// poll handles are its own; they, the duplicates and the pipe go in their close callbacks.

import CLibUV
import Glibc

final class SplicePump {
    /// How much one turn of the loop moves before it lets everyone else run.
    static let bytesPerTurn = 4 << 20
    static let pipeSize: Int32 = 1 << 20

    private let source: UnsafeMutablePointer<uv_poll_t>
    private let sink: UnsafeMutablePointer<uv_poll_t>
    private let pipeRead: Int32
    private let pipeWrite: Int32
    private var remaining: Int
    private var inPipe = 0
    private var pipeCapacity = 65_536
    private var done: ((Bool) -> Void)?
    private var openHandles = 2
    private var stopped = false
    /// What each poll watches now, so it is only told when that changes (each costs an epoll_ctl).
    private var watching: [UnsafeMutablePointer<uv_poll_t>: Int32] = [:]
    /// The duplicates the polls watch, closed with them.
    private let sourceFd: Int32
    private let sinkFd: Int32

    /// Nil when a descriptor cannot be had (then the body goes the ordinary way).
    init?(loop: EventLoop, from sourceFd: Int32, to sinkFd: Int32, count: Int, done: @escaping (Bool) -> Void) {
        var fds: [Int32] = [0, 0]
        guard hmr_pipe_nonblocking(&fds) == 0 else { return nil }
        let sourceDup = fcntl(sourceFd, F_DUPFD_CLOEXEC, 0)
        let sinkDup = fcntl(sinkFd, F_DUPFD_CLOEXEC, 0)
        guard sourceDup >= 0, sinkDup >= 0 else {
            for fd in [fds[0], fds[1], sourceDup, sinkDup] where fd >= 0 { Glibc.close(fd) }
            return nil
        }
        pipeRead = fds[0]
        pipeWrite = fds[1]
        self.sourceFd = sourceDup
        self.sinkFd = sinkDup
        let size = hmr_set_pipe_size(pipeWrite, SplicePump.pipeSize)
        if size > 0 { pipeCapacity = Int(size) }
        remaining = count
        self.done = done
        source = .allocate(capacity: 1)
        sink = .allocate(capacity: 1)
        uv_poll_init(loop.raw, source, sourceDup)
        uv_poll_init(loop.raw, sink, sinkDup)
        source.pointee.data = Unmanaged.passRetained(self).toOpaque()
        sink.pointee.data = Unmanaged.passRetained(self).toOpaque()
    }

    func start() { pump() }

    /// Stops at once; `done` is not called.
    func cancel() {
        done = nil
        stop()
    }

    private func pump() {
        guard done != nil else { return }
        var moved = 0
        var wantsSource = false
        var wantsSink = false
        while moved < SplicePump.bytesPerTurn {
            var progress = false
            if remaining > 0 && inPipe < pipeCapacity {
                let n = hmr_splice(sourceFd, pipeWrite, min(remaining, pipeCapacity - inPipe))
                if n > 0 {
                    remaining -= n
                    inPipe += n
                    progress = true
                } else if n == 0 {
                    return finish(false)  // the backend closed before the whole body came
                } else if errno == EAGAIN {
                    wantsSource = true
                } else {
                    return finish(false)
                }
            }
            if inPipe > 0 {
                let n = hmr_splice(pipeRead, sinkFd, inPipe)
                if n > 0 {
                    inPipe -= n
                    moved += n
                    progress = true
                } else if n < 0 && errno == EAGAIN {
                    wantsSink = true
                } else {
                    return finish(false)  // the browser went away
                }
            }
            if remaining == 0 && inPipe == 0 { return finish(true) }
            if !progress { break }
        }
        if moved >= SplicePump.bytesPerTurn {
            // More may be ready: ask to be called on the next turn, after the others.
            wantsSink = inPipe > 0
            wantsSource = !wantsSink
        }
        watch(source, for: wantsSource && remaining > 0 && inPipe < pipeCapacity ? UV_READABLE : nil)
        watch(sink, for: wantsSink || inPipe >= pipeCapacity ? UV_WRITABLE : nil)
    }

    private func watch(_ poll: UnsafeMutablePointer<uv_poll_t>, for event: uv_poll_event?) {
        let events = event.map { Int32($0.rawValue) } ?? 0
        guard watching[poll, default: 0] != events else { return }
        watching[poll] = events
        guard events != 0 else {
            uv_poll_stop(poll)
            return
        }
        uv_poll_start(poll, events) { poll, _, _ in
            guard let poll else { return }
            Unmanaged<SplicePump>.fromOpaque(poll.pointee.data).takeUnretainedValue().pump()
        }
    }

    private func finish(_ whole: Bool) {
        let done = self.done
        self.done = nil
        stop()
        done?(whole)
    }

    private func stop() {
        guard !stopped else { return }
        stopped = true
        for poll in [source, sink] {
            uv_poll_stop(poll)
            uv_close(hmr_poll_handle(poll)) { raw in
                guard let raw else { return }
                let pump = Unmanaged<SplicePump>.fromOpaque(raw.pointee.data)
                UnsafeMutableRawPointer(raw).deallocate()
                pump.takeUnretainedValue().handleClosed()
                pump.release()
            }
        }
    }

    private func handleClosed() {
        openHandles -= 1
        if openHandles == 0 {
            for fd in [pipeRead, pipeWrite, sourceFd, sinkFd] { Glibc.close(fd) }
        }
    }
}

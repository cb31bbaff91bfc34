// One run of the build command: `/bin/sh -c CMD` in a process group of its own.
//
// Its stdout and stderr come through pipes, are echoed to ours as they arrive (or
// both to our stderr, or not at all, as the log settings ask) and their tail is
// kept for the `errors` of a failed build. When the run is over is the core's
// BuildRunEnd (the exit and both pipes' EOF, or a grace after the exit).

import CLibUV
import Glibc
import HMRCore

public final class BuildProcess {
    public private(set) var groupID: pid_t = 0
    private let process: UnsafeMutablePointer<uv_process_t>
    private let pipes: [UnsafeMutablePointer<uv_pipe_t>]
    private var end = BuildRunEnd()
    private var graceTimer: LoopTimer?
    private var onFinish: ((BuildOutcome) -> Void)?
    private var tail = OutputTail()
    private let loop: EventLoop
    private let echo: BuildEcho

    /// Starts the command; on failure the error says why (the caller reports it as a failed build).
    public init(loop: EventLoop, command: String, echo: BuildEcho = .unchanged,
                onFinish: @escaping (BuildOutcome) -> Void) throws(UVError) {
        self.loop = loop
        self.echo = echo
        self.onFinish = onFinish
        process = .allocate(capacity: 1)
        pipes = [.allocate(capacity: 1), .allocate(capacity: 1)]
        for pipe in pipes {
            uv_pipe_init(loop.raw, pipe, 0)
        }
        let unmanaged = Unmanaged.passRetained(self)
        process.pointee.data = unmanaged.toOpaque()
        for pipe in pipes { pipe.pointee.data = unmanaged.toOpaque() }

        var stdio = [uv_stdio_container_t](repeating: uv_stdio_container_t(), count: 3)
        stdio[0].flags = UV_IGNORE
        for (index, pipe) in pipes.enumerated() {
            stdio[index + 1].flags = uv_stdio_flags(rawValue: UInt32(hmr_stdio_create_pipe_writable()))
            stdio[index + 1].data.stream = hmr_pipe_stream(pipe)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { for arg in argv { free(arg) } }
        var options = uv_process_options_t()
        let result: Int32 = argv.withUnsafeBufferPointer { args in
            stdio.withUnsafeMutableBufferPointer { stdioBuffer in
                options.file = UnsafePointer(args[0])
                options.args = UnsafeMutablePointer(mutating: args.baseAddress!)
                options.stdio_count = 3
                options.stdio = stdioBuffer.baseAddress
                // Detached: setsid(), so the build leads a group we can signal as a whole.
                options.flags = hmr_process_detached()
                options.exit_cb = { raw, status, signal in
                    guard let raw else { return }
                    let me = Unmanaged<BuildProcess>.fromOpaque(raw.pointee.data).takeUnretainedValue()
                    me.exited(status: status, signal: signal)
                }
                return uv_spawn(loop.raw, process, &options)
            }
        }
        if result < 0 {
            // libuv requires closing the handles of a failed spawn too.
            self.onFinish = nil
            closeProcessHandle()
            closePipes()
            throw UVError(result)
        }
        groupID = process.pointee.pid
        for pipe in pipes { startReading(pipe) }
    }

    /// The last bytes the build printed, for `errors`.
    public var outputTail: String { tail.text }

    /// Signals the whole group, including children the shell left behind.
    public static func signal(group: pid_t, _ signal: GroupSignal) {
        guard group > 0 else { return }
        kill(-group, signal == .kill ? SIGKILL : SIGTERM)
    }

    private func startReading(_ pipe: UnsafeMutablePointer<uv_pipe_t>) {
        uv_read_start(hmr_pipe_stream(pipe), { _, suggested, buf in
            let size = min(suggested, 64 * 1024)
            buf?.pointee = uv_buf_init(UnsafeMutablePointer<CChar>.allocate(capacity: size), UInt32(size))
        }, { raw, nread, buf in
            defer { buf?.pointee.base?.deallocate() }
            guard let raw else { return }
            let me = Unmanaged<BuildProcess>.fromOpaque(raw.pointee.data).takeUnretainedValue()
            let isStderr = raw == hmr_pipe_stream(me.pipes[1])
            if nread > 0, let base = buf?.pointee.base {
                me.received(UnsafeRawBufferPointer(start: base, count: nread), toStderr: isStderr)
            } else if nread < 0 {
                me.pipeEnded(raw)
            }
        })
    }

    private func received(_ bytes: UnsafeRawBufferPointer, toStderr: Bool) {
        if let fd = echoDescriptor(toStderr: toStderr) {
            // Echo unchanged, colours and all; a terminal that is gone must not stop the build.
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
        tail.append(bytes)
    }

    /// Where a chunk of the build's stdout (or stderr) is echoed; nil while held back.
    private func echoDescriptor(toStderr: Bool) -> Int32? {
        switch echo {
        case .unchanged: return toStderr ? 2 : 1
        case .allToStderr: return 2
        case .held: return nil
        }
    }

    private func pipeEnded(_ stream: UnsafeMutablePointer<uv_stream_t>) {
        uv_read_stop(stream)
        handle(.pipeClosed)
    }

    private func exited(status: Int64, signal: Int32) {
        closeProcessHandle()
        handle(.exited(signal != 0 ? .signaled(signal) : .exited(Int32(truncatingIfNeeded: status))))
    }

    private func handle(_ event: BuildRunEnd.Event) {
        for action in end.handle(event) {
            switch action {
            case .startGrace(let milliseconds):
                let timer = LoopTimer(loop: loop) { [unowned self] in self.handle(.graceElapsed) }
                graceTimer = timer
                timer.start(after: milliseconds)
            case .finish(let outcome):
                guard let onFinish else { return }
                self.onFinish = nil
                graceTimer?.close()
                graceTimer = nil
                closePipes()
                onFinish(outcome)
            }
        }
    }

    private func closeProcessHandle() {
        closeOwnedHandle(hmr_process_handle(process))
    }

    private func closePipes() {
        for pipe in pipes {
            // Each pipe holds its own reference, released with its memory.
            _ = Unmanaged.passRetained(self)
            closeOwnedHandle(hmr_pipe_handle(pipe))
        }
    }
}

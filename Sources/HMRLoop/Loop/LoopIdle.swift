// A libuv idle handle owned by one Swift object: its callback runs once per turn of
// the loop while it is started, and the loop does not block in poll meanwhile. For
// work cut into slices that must let I/O in between (a broadcast to many streams).
// The memory goes in the close callback.

import CLibUV

final class LoopIdle {
    private let handle: UnsafeMutablePointer<uv_idle_t>
    private var callback: (() -> Void)?
    private var isStarted = false
    private var isClosed = false

    init(loop: EventLoop, callback: @escaping () -> Void) {
        handle = .allocate(capacity: 1)
        uv_idle_init(loop.raw, handle)
        self.callback = callback
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
    }

    /// Runs the callback on every turn of the loop from the next one on, until stopped.
    func start() {
        guard !isClosed, !isStarted else { return }
        isStarted = true
        uv_idle_start(handle) { raw in
            guard let raw else { return }
            Unmanaged<LoopIdle>.fromOpaque(raw.pointee.data).takeUnretainedValue().callback?()
        }
    }

    func stop() {
        guard !isClosed, isStarted else { return }
        isStarted = false
        uv_idle_stop(handle)
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        callback = nil
        closeOwnedHandle(hmr_idle_handle(handle))
    }
}

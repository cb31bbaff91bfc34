// A libuv timer owned by one Swift object; the memory goes in the close callback.

import CLibUV

public final class LoopTimer {
    private let handle: UnsafeMutablePointer<uv_timer_t>
    private var callback: (() -> Void)?
    private var isClosed = false

    public init(loop: EventLoop, callback: @escaping () -> Void = {}) {
        handle = .allocate(capacity: 1)
        uv_timer_init(loop.raw, handle)
        self.callback = callback
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
    }

    /// Fires once after `delay` ms, then every `repeatEvery` ms if that is not zero.
    /// What to run when it fires, for an owner that makes its timers before it can be captured.
    public func onFire(_ callback: @escaping () -> Void) {
        guard !isClosed else { return }
        self.callback = callback
    }

    public func start(after delay: Int, repeatEvery: Int = 0) {
        guard !isClosed else { return }
        uv_timer_start(handle, { raw in
            guard let raw else { return }
            Unmanaged<LoopTimer>.fromOpaque(raw.pointee.data).takeUnretainedValue().callback?()
        }, UInt64(max(0, delay)), UInt64(max(0, repeatEvery)))
    }

    public func stop() {
        guard !isClosed else { return }
        uv_timer_stop(handle)
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        callback = nil
        closeOwnedHandle(hmr_timer_handle(handle))
    }
}

// Turns a POSIX signal into a callback on the loop.

import CLibUV

public final class SignalWatcher {
    private let handle: UnsafeMutablePointer<uv_signal_t>
    private var callback: (() -> Void)?
    private var isClosed = false

    public init(loop: EventLoop, signal: Int32, callback: @escaping () -> Void) {
        handle = .allocate(capacity: 1)
        uv_signal_init(loop.raw, handle)
        self.callback = callback
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
        uv_signal_start(handle, { raw, _ in
            guard let raw else { return }
            Unmanaged<SignalWatcher>.fromOpaque(raw.pointee.data).takeUnretainedValue().callback?()
        }, signal)
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        callback = nil
        closeOwnedHandle(hmr_signal_handle(handle))
    }
}

// The libuv loop every handle of the daemon lives on. One thread, one loop.

import CLibUV

public final class EventLoop {
    public let raw: UnsafeMutablePointer<uv_loop_t>

    /// The libuv the binary runs with ("1.44.2"), which may differ from the one it was built against.
    public static var libuvVersion: String { String(cString: uv_version_string()) }

    public init() throws(UVError) {
        raw = .allocate(capacity: 1)
        let result = uv_loop_init(raw)
        if result < 0 {
            raw.deallocate()
            throw UVError(result)
        }
    }

    /// Milliseconds on the loop's monotonic clock, refreshed on each call.
    public var now: Int {
        uv_update_time(raw)
        return Int(uv_now(raw))
    }

    /// Runs until no handle or request is left.
    public func run() {
        uv_run(raw, UV_RUN_DEFAULT)
    }

    /// Frees the loop; every handle must have been closed and the loop run to let their close callbacks fire.
    public func close() -> UVError? {
        let result = uv_loop_close(raw)
        if result < 0 { return UVError(result) }
        raw.deallocate()
        return nil
    }
}

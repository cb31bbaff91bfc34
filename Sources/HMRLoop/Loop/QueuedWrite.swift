// A write libuv takes over: the bytes stay alive until it is done with them, and then
// `completed` hears how many bytes it was and how it went. One shape for every socket
// hmrd writes to (a browser's connection, a --proxy backend's).

import CLibUV

/// Queues `bytes` from `offset` on `stream`. False when libuv refused it at once: then
/// nothing was queued and `completed` will not be called.
func queueWrite(_ bytes: SharedBytes, from offset: Int, on stream: UnsafeMutablePointer<uv_stream_t>,
                completed: @escaping (_ count: Int, _ status: Int32) -> Void) -> Bool {
    let count = bytes.count - offset
    let request = UnsafeMutablePointer<uv_write_t>.allocate(capacity: 1)
    request.pointee.data = Unmanaged.passRetained(QueuedWrite(bytes: bytes, count: count, completed: completed)).toOpaque()
    var buf = uv_buf_init((bytes.base + offset).assumingMemoryBound(to: CChar.self), UInt32(count))
    let result = uv_write(request, stream, &buf, 1) { request, status in
        guard let request else { return }
        let write = Unmanaged<QueuedWrite>.fromOpaque(request.pointee.data).takeRetainedValue()
        request.deallocate()
        write.completed(write.count, status)
    }
    guard result >= 0 else {
        Unmanaged<QueuedWrite>.fromOpaque(request.pointee.data).release()
        request.deallocate()
        return false
    }
    return true
}

/// What a queued write keeps alive until libuv reports it done.
private final class QueuedWrite {
    let bytes: SharedBytes
    let count: Int
    let completed: (Int, Int32) -> Void

    init(bytes: SharedBytes, count: Int, completed: @escaping (Int, Int32) -> Void) {
        self.bytes = bytes
        self.count = count
        self.completed = completed
    }
}

// One libuv fs_event handle on one folder (inotify watches a folder, not a tree).

import CLibUV

final class FolderEventHandle {
    let path: String
    private let handle: UnsafeMutablePointer<uv_fs_event_t>
    private var callback: ((String?, Int32) -> Void)?
    private var isClosed = false

    /// Starts watching; throws the libuv error (ENOSPC when the inotify watch limit is reached).
    init(loop: EventLoop, path: String, callback: @escaping (_ name: String?, _ status: Int32) -> Void) throws(UVError) {
        self.path = path
        self.callback = callback
        handle = .allocate(capacity: 1)
        uv_fs_event_init(loop.raw, handle)
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
        let result = uv_fs_event_start(handle, { raw, name, _, status in
            guard let raw else { return }
            let me = Unmanaged<FolderEventHandle>.fromOpaque(raw.pointee.data).takeUnretainedValue()
            me.callback?(name.map { String(cString: $0) }, status)
        }, path, 0)
        if result < 0 {
            close()
            throw UVError(result)
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        callback = nil
        closeOwnedHandle(hmr_fs_event_handle(handle))
    }
}

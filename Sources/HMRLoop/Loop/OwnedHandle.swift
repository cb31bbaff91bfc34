// The one way a libuv handle owned by a Swift object is closed.
//
// Every handle's `data` holds its owner, retained when the handle was set up. The
// handle's memory and that reference are released only in the close callback,
// once libuv has let go of the handle.

import CLibUV

/// The descriptor under a handle, nil when it has none (closing, or not yet open).
func descriptor(of handle: UnsafeMutablePointer<uv_handle_t>) -> Int32? {
    var fd: uv_os_fd_t = -1
    return uv_fileno(handle, &fd) == 0 ? fd : nil
}

/// Closes `handle`; its memory is freed and its owner released in the close callback.
func closeOwnedHandle(_ handle: UnsafeMutablePointer<uv_handle_t>) {
    uv_close(handle) { raw in
        guard let raw else { return }
        let owner = Unmanaged<AnyObject>.fromOpaque(raw.pointee.data)
        UnsafeMutableRawPointer(raw).deallocate()
        owner.release()
    }
}

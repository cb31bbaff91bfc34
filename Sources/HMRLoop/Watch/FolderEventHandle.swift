// One libuv fs_event handle on one folder (inotify watches a folder, not a tree).
//
// inotify follows the folder's inode, not its path: a folder deleted and created
// again under the same name is a different folder, unwatched. So the handle keeps
// the identity (device and inode) of what it watches, for the tree watcher to
// tell whether the folder at the path is still the one being watched.

import CLibUV
import Glibc

final class FolderEventHandle {
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64

        /// The identity of the folder at `path` now, or nil if there is no folder there.
        static func of(_ path: String) -> Identity? {
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
            return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        }
    }

    let path: String
    /// The folder as it was when the watch began (nil if it vanished in between).
    let identity: Identity?
    private let handle: UnsafeMutablePointer<uv_fs_event_t>
    private var callback: ((String?, Bool, Int32) -> Void)?
    private var isClosed = false

    /// Starts watching; throws the libuv error (ENOSPC when the inotify watch limit is reached).
    /// The callback gets the name libuv reports, whether the event was only a content or
    /// attribute change (UV_CHANGE without UV_RENAME), and the status.
    init(loop: EventLoop, path: String,
         callback: @escaping (_ name: String?, _ changeOnly: Bool, _ status: Int32) -> Void) throws(UVError) {
        self.path = path
        self.callback = callback
        // Taken before the watch starts: a folder replaced in between then looks replaced, never the reverse.
        identity = Identity.of(path)
        handle = .allocate(capacity: 1)
        uv_fs_event_init(loop.raw, handle)
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
        let result = uv_fs_event_start(handle, { raw, name, events, status in
            guard let raw else { return }
            let me = Unmanaged<FolderEventHandle>.fromOpaque(raw.pointee.data).takeUnretainedValue()
            let changeOnly = (events & Int32(UV_RENAME.rawValue)) == 0
            me.callback?(name.map { String(cString: $0) }, changeOnly, status)
        }, path, 0)
        if result < 0 {
            close()
            throw UVError(result)
        }
    }

    /// Whether the folder now at `path` is the one this handle watches.
    var stillWatchesItsPath: Bool {
        guard let identity else { return false }
        return Identity.of(path) == identity
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        callback = nil
        closeOwnedHandle(hmr_fs_event_handle(handle))
    }
}

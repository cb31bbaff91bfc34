// A pthread mutex for what an output walk's threads share (WalkQueue, OutputNotices)
// and for keeping walks one at a time (OutputWalker). It is allocated once, so its
// address never moves, as pthreads requires of a mutex in use.

import Glibc

final class ThreadLock: @unchecked Sendable {
    /// The mutex itself, for `pthread_cond_wait`.
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }

    func unlock() { pthread_mutex_unlock(mutex) }
}

// Runs one closure on several threads at once and waits for all of them: the
// helpers of an output walk.
//
// The walk itself runs on one of libuv's pool threads, which cannot queue more
// pool work (uv_queue_work belongs to the loop thread), so the extra threads are
// our own, started per walk and joined before it returns. Starting one costs tens
// of microseconds against the milliseconds of stat calls it takes over.

import Glibc

enum WalkThreads {
    /// Calls `body(0)` here and `body(1)` … `body(count - 1)` on new threads; returns when all have.
    /// If a thread cannot be started, its share is left to the others.
    static func run(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        var threads: [pthread_t] = []
        for index in 1..<max(count, 1) {
            let box = Unmanaged.passRetained(Body { body(index) }).toOpaque()
            var thread = pthread_t()
            let started = pthread_create(&thread, nil, { raw in
                let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
                body.run()
                return nil
            }, box)
            if started == 0 {
                threads.append(thread)
            } else {
                Unmanaged<Body>.fromOpaque(box).release()
            }
        }
        body(0)
        for thread in threads { pthread_join(thread, nil) }
    }

    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}

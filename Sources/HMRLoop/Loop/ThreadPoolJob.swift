// Runs a closure on libuv's thread pool and its completion back on the loop thread.

import CLibUV

public final class ThreadPoolJob<Output: Sendable>: @unchecked Sendable {
    // Written on the pool thread, read on the loop thread after libuv has joined them.
    private var work: (@Sendable () -> Output)?
    private var output: Output?
    private var completion: ((Output) -> Void)?

    public static func run(on loop: EventLoop, _ work: @escaping @Sendable () -> Output,
                           then completion: @escaping (Output) -> Void) {
        let job = ThreadPoolJob(work: work, completion: completion)
        let request = UnsafeMutablePointer<uv_work_t>.allocate(capacity: 1)
        request.pointee.data = Unmanaged.passRetained(job as AnyObject).toOpaque()
        let result = uv_queue_work(loop.raw, request, { request in
            guard let request else { return }
            let job = Unmanaged<AnyObject>.fromOpaque(request.pointee.data).takeUnretainedValue() as! RunnableJob
            job.runWork()
        }, { request, _ in
            guard let request else { return }
            let job = Unmanaged<AnyObject>.fromOpaque(request.pointee.data).takeRetainedValue() as! RunnableJob
            request.deallocate()
            job.complete()
        })
        if result < 0 {
            // The pool would not take it: do the work here rather than lose the build.
            Unmanaged<AnyObject>.fromOpaque(request.pointee.data).release()
            request.deallocate()
            job.runWork()
            job.complete()
        }
    }

    private init(work: @escaping @Sendable () -> Output, completion: @escaping (Output) -> Void) {
        self.work = work
        self.completion = completion
    }
}

/// Lets the C callbacks, which cannot name a generic type, reach the job.
private protocol RunnableJob: AnyObject {
    func runWork()
    func complete()
}

extension ThreadPoolJob: RunnableJob {
    fileprivate func runWork() {
        output = work?()
        work = nil
    }

    fileprivate func complete() {
        guard let output, let completion else { return }
        self.completion = nil
        completion(output)
    }
}

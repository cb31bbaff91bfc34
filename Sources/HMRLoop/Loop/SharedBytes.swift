// An immutable byte buffer shared by every write that sends it.
//
// A broadcast frame is encoded once into one of these and handed to every client;
// writes that the kernel did not take at once keep it alive until they complete.

public final class SharedBytes: @unchecked Sendable {
    public let base: UnsafeMutableRawPointer
    public let count: Int

    public init(_ bytes: [UInt8]) {
        count = bytes.count
        base = .allocate(byteCount: max(count, 1), alignment: 1)
        bytes.withUnsafeBytes { source in
            if let from = source.baseAddress { base.copyMemory(from: from, byteCount: count) }
        }
    }

    public convenience init(_ text: String) { self.init(Array(text.utf8)) }

    /// A copy of `bytes` (a read buffer about to be reused), in one step.
    public init(copying bytes: UnsafeRawBufferPointer) {
        count = bytes.count
        base = .allocate(byteCount: max(count, 1), alignment: 1)
        if let from = bytes.baseAddress { base.copyMemory(from: from, byteCount: count) }
    }

    /// Up to `capacity` bytes written in place by `fill`, which returns how many it
    /// wrote, or nil when it failed (then there is no buffer).
    public init?(capacity: Int, fill: (UnsafeMutableRawPointer) -> Int?) {
        let base = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, 1), alignment: 1)
        guard let written = fill(base) else {
            base.deallocate()
            return nil
        }
        self.base = base
        count = written
    }

    deinit { base.deallocate() }
}

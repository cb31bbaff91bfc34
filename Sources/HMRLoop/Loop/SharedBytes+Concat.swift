// Buffers made of others, so that what a stream is owed goes out in one write.
//
// On loopback each write is a full trip through the kernel's TCP stack for both
// ends, which is most of what a connection storm or a broadcast costs; copying a
// few kilobytes is cheap beside it. A new stream's response head goes in front of
// the shared `sync`; a stream that fell behind gets the frames it lacks together.

extension SharedBytes {
    /// `head` (one connection's own bytes), then a shared frame.
    convenience init(_ head: [UInt8], then rest: SharedBytes) {
        var bytes = head
        bytes.reserveCapacity(head.count + rest.count)
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: rest.base, count: rest.count))
        self.init(bytes)
    }

    /// Frames back to back, in the order given.
    convenience init(joining frames: [SharedBytes]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(frames.reduce(0) { $0 + $1.count })
        for frame in frames { bytes.append(contentsOf: UnsafeRawBufferPointer(start: frame.base, count: frame.count)) }
        self.init(bytes)
    }
}

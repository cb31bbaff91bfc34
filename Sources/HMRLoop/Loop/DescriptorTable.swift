// Grows the process's descriptor table once, at start, to the size it will need.
//
// Linux grows the table by doubling as descriptors are handed out, and in a process
// with more than one thread (libuv's thread pool starts with the first output walk)
// every growth waits for an RCU grace period (`synchronize_rcu` in
// `expand_fdtable`): milliseconds, in which `accept()` stalls. In a connection storm
// that is enough for the listen backlog (1,024) to overflow, and each SYN the
// kernel drops costs its client a one-second retransmit: measured, 10,000 clients
// at once lost ~800 SYNs at the growth past 8,192. Grown while hmrd is still one
// thread, the table never grows under load. It costs the kernel 8 bytes a slot.

import Glibc

enum DescriptorTable {
    /// Descriptors beside the streams: the reserve kept for builds (DescriptorBudget, at
    /// most 256), watches, pipes and connections that are not streams.
    static let headroom = 512
    /// Never more than this many slots (8 MiB of kernel memory): the kernel's own default cap.
    static let largest = 1 << 20

    /// Makes room for `streams` streams and the headroom, within the soft limit, by taking
    /// the highest descriptor needed and closing it. Best effort: should it fail, the table
    /// grows on demand as it would have.
    static func presize(forStreams streams: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted = min(Int(clamping: limit.rlim_cur), min(max(streams, 0), largest) + headroom, largest)
        // The table starts with room for 1,024 or so; below that there is nothing to do.
        guard wanted > 1_024 else { return }
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard null >= 0 else { return }
        let high = fcntl(null, F_DUPFD_CLOEXEC, Int32(wanted - 1))
        if high >= 0 { close(high) }
        close(null)
    }
}

// How many file descriptors connections may take, so that a crowd of clients can
// never starve the build of the descriptors it needs.
//
// A build needs descriptors of its own at the worst moment (pipes to spawn the
// shell, folders and files to walk and hash, a file to serve), and once the table
// is full every one of those fails: the build "did not start" while pages stay
// connected to be told so. So the top of the table is kept free. The kernel hands
// out the lowest free descriptor, so an accepted connection numbered `n` means the
// `n` below it are all taken; one at or above `limit - reserve` is turned away.

public struct DescriptorBudget: Sendable, Equatable {
    /// The soft `RLIMIT_NOFILE` (`ulimit -n`): descriptors are numbered below it.
    public let limit: Int

    /// Enough for a build's spawn (six at once), a deep walk of the out dir and a few
    /// static files, even under the smallest limit that can serve at all.
    public static let minimumReserve = 16
    /// An eighth of the table in between: generous while the table is small.
    public static let reserveDivisor = 8
    /// Past this, more would only waste room for clients under a large limit.
    public static let maximumReserve = 256

    public init(limit: Int) { self.limit = max(0, limit) }

    /// Descriptors kept free for everything that is not a connection; never more than half the table.
    public var reserve: Int {
        let wanted = min(max(limit / DescriptorBudget.reserveDivisor, DescriptorBudget.minimumReserve),
                         DescriptorBudget.maximumReserve)
        return min(wanted, limit / 2)
    }

    /// Whether a connection that was given descriptor `descriptor` may stay.
    public func admits(descriptor: Int) -> Bool {
        descriptor < limit - reserve
    }
}

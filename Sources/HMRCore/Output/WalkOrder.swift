// Out-dir walks' results, handed on in the order the walks ran. Walks run one at a
// time on the thread pool, but their results reach the loop in the order the threads
// post them: a check walk preempted just after it ended could otherwise be applied
// after the next walk's, whose build would then be published without what it read.

public struct WalkOrder<Value> {
    /// The number of the walk whose result goes next; walks are numbered from 1.
    private var next = 1
    private var waiting: [Int: Value] = [:]

    public init() {}

    /// Walk `number`'s result has come: the results that may now be applied, in order.
    public mutating func arrived(_ number: Int, _ value: Value) -> [Value] {
        waiting[number] = value
        var ready: [Value] = []
        while let value = waiting.removeValue(forKey: next) {
            ready.append(value)
            next += 1
        }
        return ready
    }
}

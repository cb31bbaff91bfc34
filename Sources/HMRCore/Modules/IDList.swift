// Lists of node ids in ModuleGraph, asked whether they hold an id. Most modules import
// a handful of others, where scanning the list beats hashing; a barrel file importing
// hundreds would make that quadratic, so long lists get a hash set.

struct IDList {
    /// Past this many ids a list is looked up through a set.
    static let scanLimit = 32

    let ids: [Int]
    private let set: Set<Int>?

    init(_ ids: [Int]) {
        self.ids = ids
        set = ids.count > IDList.scanLimit ? Set(ids) : nil
    }

    func contains(_ id: Int) -> Bool { set?.contains(id) ?? ids.contains(id) }

    /// The ids without repeats, as an edge to a module imported both ways appears twice.
    var unique: [Int] { IDList.firstOfEach(ids) }

    /// Each id once, in order of first appearance.
    static func firstOfEach(_ ids: [Int]) -> [Int] {
        var seen: Set<Int> = []
        var result: [Int] = []
        result.reserveCapacity(ids.count)
        for id in ids where ids.count > scanLimit ? seen.insert(id).inserted : !result.contains(id) {
            result.append(id)
        }
        return result
    }
}

extension Array where Element == Int {
    /// Removes one `id`, moving the last element into its place: importers have no order.
    mutating func swapRemove(_ id: Int) {
        guard let at = firstIndex(of: id) else { return }
        swapAt(at, count - 1)
        removeLast()
    }
}

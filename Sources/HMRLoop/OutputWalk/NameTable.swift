// The names of one folder listing, in the order readdir gave them, stored back to
// back with a NUL after each: C strings for fstatat and openat, no String per name.
//
// The next walk compares its listing with this one name by name; an unchanged
// folder lists its names in the same order, so that comparison is a strcmp each.
// When a listing did change, `index(of:)` finds an old name through a table of
// 64-bit name hashes, built once per changed folder, again without a String.

import Glibc
import HMRCore

struct NameTable {
    private(set) var bytes: [CChar] = []
    /// Where name i starts in `bytes`.
    private(set) var starts: [Int32] = []

    var count: Int { starts.count }

    mutating func append(_ name: UnsafePointer<CChar>, length: Int) {
        starts.append(Int32(bytes.count))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name, count: length + 1))
    }

    /// The first `count` names of this table.
    func prefix(_ count: Int) -> NameTable {
        var copy = NameTable()
        copy.starts = Array(starts[0..<count])
        copy.bytes = Array(bytes[0..<(count < starts.count ? Int(starts[count]) : bytes.count)])
        return copy
    }

    /// Calls `body` with name i as a C string.
    func withName<R>(_ i: Int, _ body: (UnsafePointer<CChar>) -> R) -> R {
        bytes.withUnsafeBufferPointer { body($0.baseAddress! + Int(starts[i])) }
    }

    /// Finds names of this table by content, for a listing that changed.
    struct Index {
        private var slots: [UInt64: Int32] = [:]
        /// Names whose hash another name already took (practically never): searched in order.
        private var spill: [Int32] = []

        init(_ table: NameTable) {
            slots.reserveCapacity(table.count)
            table.bytes.withUnsafeBufferPointer { all in
                for i in 0..<table.count {
                    let name = all.baseAddress! + Int(table.starts[i])
                    let key = Index.key(name, length: strlen(name))
                    if slots[key] == nil { slots[key] = Int32(i) } else { spill.append(Int32(i)) }
                }
            }
        }

        /// Index of `name` in `table` (the table this index was made from), or -1.
        func index(of name: UnsafePointer<CChar>, length: Int, in table: NameTable) -> Int32 {
            let key = Index.key(name, length: length)
            if let slot = slots[key], table.withName(Int(slot), { strcmp($0, name) == 0 }) { return slot }
            for slot in spill where table.withName(Int(slot), { strcmp($0, name) == 0 }) { return slot }
            return -1
        }

        private static func key(_ name: UnsafePointer<CChar>, length: Int) -> UInt64 {
            ContentHash.of(UnsafeRawBufferPointer(start: name, count: length))
        }
    }
}

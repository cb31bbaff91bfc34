// The order of module-map paths: by UTF-8 bytes, so it never depends on locale or
// Unicode normalisation.
//
// Comparing through `utf8.lexicographicallyPrecedes` walks a generic iterator per
// byte; sorting 10,000 paths that way took milliseconds. This compares the
// contiguous bytes eight at a time (big-endian words order like their bytes).

enum PathOrder {
    /// Negative, zero or positive as `a`'s bytes sort before, equal or after `b`'s.
    static func compare(_ a: String, _ b: String) -> Int {
        let fast: Int?? = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb in compare(pa, pb) }
        }
        if let fast, let result = fast { return result }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }

    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(a.count, b.count)
        var i = 0
        if let pa = a.baseAddress, let pb = b.baseAddress {
            let ra = UnsafeRawPointer(pa), rb = UnsafeRawPointer(pb)
            while i + 8 <= common {
                let wa = ra.loadUnaligned(fromByteOffset: i, as: UInt64.self).bigEndian
                let wb = rb.loadUnaligned(fromByteOffset: i, as: UInt64.self).bigEndian
                if wa != wb { return wa < wb ? -1 : 1 }
                i += 8
            }
        }
        while i < common {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i += 1
        }
        return a.count - b.count
    }

    /// Index of `path` in `sorted` (ordered by `compare`), or nil.
    static func index(of path: String, in sorted: [String]) -> Int? {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            let order = compare(sorted[mid], path)
            if order == 0 { return mid }
            if order < 0 { low = mid + 1 } else { high = mid }
        }
        return nil
    }
}

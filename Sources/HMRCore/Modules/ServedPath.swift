// A URL path being resolved for ModuleSpecifier, kept percent-encoded as the browser keeps
// it, and then read as hmrd's server reads a request path (RequestTarget): decoded once,
// an escaped `/` separating, empty and `.` segments dropped, and a `..`, a bad escape or
// a byte it refuses meaning no file at all.

struct ServedPath {
    /// "/a/b" for segments a and b, still encoded; empty for the root. Each segment starts
    /// at a "/" and holds none, so popping one cuts at the last "/".
    private(set) var bytes: [UInt8] = []
    /// Set once a segment is empty: the server's reading drops it.
    private var hasEmptySegment = false

    private static let slash = UInt8(ascii: "/"), percent = UInt8(ascii: "%")

    init() {}

    /// A URL prefix such as "/assets/", given decoded, as its non-empty segments ("/assets").
    init(prefix: String) {
        for segment in prefix.utf8.split(separator: ServedPath.slash) {
            bytes.append(ServedPath.slash)
            bytes.append(contentsOf: segment)
        }
    }

    /// The folder of the module at `key`, served under `prefix`, encoded: a `%` in a file
    /// name is `%25` in its URL, so that decoding the resolved path gives it back.
    init(folderOf key: String, under prefix: ServedPath) {
        var folder = prefix.bytes + [ServedPath.slash] + key.utf8
        folder.removeSubrange((folder.lastIndex(of: ServedPath.slash) ?? 0)...)
        bytes.reserveCapacity(folder.count)
        for byte in folder {
            bytes.append(byte)
            if byte == ServedPath.percent { bytes.append(contentsOf: "25".utf8) }
        }
    }

    /// False when there is nothing left to pop: the path would climb above the root.
    mutating func pop() -> Bool {
        guard let start = bytes.lastIndex(of: ServedPath.slash) else { return false }
        bytes.removeSubrange(start...)
        return true
    }

    /// Appends an encoded segment, which holds no "/".
    mutating func push(_ segment: UnsafeBufferPointer<UInt8>) {
        bytes.append(ServedPath.slash)
        bytes.append(contentsOf: segment)
        if segment.isEmpty { hasEmptySegment = true }
    }

    /// The path below `prefix` as a key, read as the server reads it; nil when the server
    /// would refuse it, it names a folder, or it is not under `prefix`.
    func key(under prefix: ServedPath) -> String? {
        var path = bytes
        let isEncoded = path.contains(ServedPath.percent)
        if isEncoded {
            guard let decoded = PercentDecoding.decode(path),
                  !decoded.contains(where: { $0 == UInt8(ascii: "\\") || ASCII.isControl($0) }) else { return nil }
            path = decoded
        }
        if isEncoded || hasEmptySegment {
            let segments = path.split(separator: ServedPath.slash, omittingEmptySubsequences: false).dropFirst()
            guard let last = segments.last, !last.isEmpty, !last.elementsEqual(".".utf8),
                  !segments.contains(where: { $0.elementsEqual("..".utf8) }) else { return nil }
            path = []
            for segment in segments where !segment.isEmpty && !segment.elementsEqual(".".utf8) {
                path.append(ServedPath.slash)
                path.append(contentsOf: segment)
            }
        }
        let prefixCount = prefix.bytes.count
        guard path.count > prefixCount + 1, path.starts(with: prefix.bytes), path[prefixCount] == ServedPath.slash
        else { return nil }
        let keyBytes = path[(prefixCount + 1)...]
        let key = String(decoding: keyBytes, as: UTF8.self)
        // Lossy decoding replaced any invalid sequence, so changed bytes mean it was not UTF-8.
        guard !isEncoded || key.utf8.elementsEqual(keyBytes) else { return nil }
        return key
    }
}

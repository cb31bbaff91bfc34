// The module map in the two byte forms every build needs, made once per map: the
// JSON object the payloads carry (`{"path":"hash",...}`) and the input of the build
// hash (`path NUL hash LF` per entry), with where each entry's hash sits in both.
//
// A build that changes a few files changes a few hashes of the same length, so the
// next map copies these bytes and overwrites the hashes in place: publishing a map
// of 10,000 files then costs two copies and one XXH3 pass, not 10,000 encodings.

struct ModuleMapEncoding: Sendable {
    /// The JSON object, keys in path order, escaped as JSONWriter escapes.
    private(set) var json: [UInt8]
    private(set) var hashInput: [UInt8]
    /// Offset of entry i's hash in `json` (just past its opening quote).
    private let jsonHashAt: [Int]
    /// Offset of entry i's hash in `hashInput`.
    private let inputHashAt: [Int]
    private(set) var buildHash: String

    init(paths: [String], hashes: [String]) {
        var json: [UInt8] = [UInt8(ascii: "{")]
        var input: [UInt8] = []
        var jsonAt: [Int] = []
        var inputAt: [Int] = []
        // Paths of ~20 bytes and sixteen-digit hashes: one reservation, no regrowth.
        json.reserveCapacity(paths.count * 48 + 2)
        input.reserveCapacity(paths.count * 40)
        jsonAt.reserveCapacity(paths.count)
        inputAt.reserveCapacity(paths.count)
        for (i, path) in paths.enumerated() {
            if i > 0 { json.append(UInt8(ascii: ",")) }
            JSONEscaping.appendQuoted(path, to: &json)
            json.append(UInt8(ascii: ":"))
            jsonAt.append(json.count + 1)
            JSONEscaping.appendQuoted(hashes[i], to: &json)
            input.append(contentsOf: path.utf8)
            input.append(0)
            inputAt.append(input.count)
            input.append(contentsOf: hashes[i].utf8)
            input.append(0x0A)
        }
        json.append(UInt8(ascii: "}"))
        self.json = json
        hashInput = input
        jsonHashAt = jsonAt
        inputHashAt = inputAt
        buildHash = ModuleMapEncoding.hash(input)
    }

    /// Writes entry `index`'s new hash over its old one; false (and nothing written)
    /// when that cannot be done in place: different lengths, or either needs escaping.
    mutating func replaceHash(at index: Int, old: String, new: String) -> Bool {
        guard old.utf8.count == new.utf8.count, JSONEscaping.isPlain(old), JSONEscaping.isPlain(new) else {
            return false
        }
        let bytes = Array(new.utf8)
        let jsonStart = jsonHashAt[index], inputStart = inputHashAt[index]
        json.replaceSubrange(jsonStart..<jsonStart + bytes.count, with: bytes)
        hashInput.replaceSubrange(inputStart..<inputStart + bytes.count, with: bytes)
        return true
    }

    /// Recomputes the build hash after `replaceHash`.
    mutating func rehash() { buildHash = ModuleMapEncoding.hash(hashInput) }

    private static func hash(_ input: [UInt8]) -> String { ContentHash.hex(ContentHash.of(input)) }
}

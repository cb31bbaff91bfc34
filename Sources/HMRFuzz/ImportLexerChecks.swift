// The import lexer's properties fuzzed on every input (the same bytes the HTTP checks
// see, as JS): it ends, every import lies inside the input between a pair of quotes
// over exactly its specifier's bytes, imports come in order without overlapping, and
// the result is the same whole, cut in two or three pieces, and fed byte by byte.

import HMRCore

/// Inputs shorter than this are also fed one byte per call (longer ones would be slow).
let byteByByteLimit = 2048

/// `seed` (the input's first byte) chooses where the pieces are cut.
func checkImportLexer(_ bytes: [UInt8], seed: Int) {
    let whole = ImportLexer.scan(bytes)
    checkPlaces(whole, in: bytes)
    let count = bytes.count
    let first = (seed &* 37 &+ count) % (count + 1)
    let second = first + (seed &* 101 &+ count / 3) % (count - first + 1)
    for cuts in [[first], [first, second]] {
        let pieces = scanInPieces(bytes, cuts: cuts)
        require(pieces == whole, "cut at \(cuts) changed the scan: \(whole) vs \(pieces)")
    }
    if count < byteByByteLimit {
        let single = scanInPieces(bytes, cuts: Array(0..<count))
        require(single == whole, "byte by byte changed the scan: \(whole) vs \(single)")
    }
}

/// Each import's text lies between a pair of quotes inside the input (what the rewriter
/// replaces), after the previous import's closing quote.
func checkPlaces(_ scan: ModuleScan, in bytes: [UInt8]) {
    var previousEnd = -1
    for found in scan.imports {
        let (start, end) = (found.start, found.end)
        let place = "import at \(start)..<\(end) of \(bytes.count) bytes"
        require(0 < start && start <= end && end < bytes.count, place)
        require(start > previousEnd + 1, "\(place) overlaps or precedes one ending at \(previousEnd)")
        let quote = bytes[start - 1]
        require((quote == 0x22 || quote == 0x27) && bytes[end] == quote, "\(place) is not between quotes")
        let text = bytes[start..<end]
        require(Array(found.specifier.utf8) == Array(text), "\(place): \(found.specifier) is not its bytes")
        require(!text.contains { $0 == 0x5C || $0 == 0x0A || $0 == 0x0D }, "\(place) has an escape or line break")
        previousEnd = end
    }
}

/// The bytes fed in pieces cut at the ascending offsets `cuts`, with no copy.
func scanInPieces(_ bytes: [UInt8], cuts: [Int]) -> ModuleScan {
    var lexer = ImportLexer()
    bytes.withUnsafeBytes { all in
        var from = 0
        for cut in cuts + [all.count] {
            lexer.feed(UnsafeRawBufferPointer(rebasing: all[from..<cut]))
            from = cut
        }
    }
    return lexer.finish()
}

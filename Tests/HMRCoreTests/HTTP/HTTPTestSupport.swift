// Helpers shared by the HTTP tests: feeding a parser in chosen pieces and
// reducing the outcome to something comparable across splits.

import XCTest
@testable import HMRCore

/// What feeding a whole input led to, with `consumed` counted from the start
/// of the input rather than of the last piece, so different splits compare equal.
enum HeadParseResult: Equatable {
    case needMore
    case complete(RequestHead, consumed: Int)
    case failed(RequestError)
}

/// Feeds `bytes` in pieces of the given sizes (the rest goes in one final
/// piece) and stops at the first outcome other than `.needMore`.
func parseHead(_ bytes: [UInt8], pieces: [Int] = [], maxHeadBytes: Int = RequestHeadParser.defaultMaxHeadBytes)
    -> HeadParseResult {
    var parser = RequestHeadParser(maxHeadBytes: maxHeadBytes)
    var start = 0
    var sizes = pieces
    while start < bytes.count {
        let size = sizes.isEmpty ? bytes.count - start : min(sizes.removeFirst(), bytes.count - start)
        switch parser.feed(Array(bytes[start..<(start + size)])) {
        case .needMore: start += size
        case .complete(let head, let consumed): return .complete(head, consumed: start + consumed)
        case .failed(let error): return .failed(error)
        }
    }
    return .needMore
}

func parseHead(_ text: String, pieces: [Int] = []) -> HeadParseResult {
    parseHead(Array(text.utf8), pieces: pieces)
}

/// Asserts that splitting `bytes` in two at every position, and feeding it
/// one byte at a time, gives the same result as feeding it whole.
func assertParsesTheSameAtEverySplit(_ bytes: [UInt8], maxHeadBytes: Int = RequestHeadParser.defaultMaxHeadBytes,
                          file: StaticString = #filePath, line: UInt = #line) {
    let whole = parseHead(bytes, maxHeadBytes: maxHeadBytes)
    for split in 0...bytes.count {
        XCTAssertEqual(parseHead(bytes, pieces: [split], maxHeadBytes: maxHeadBytes), whole,
                       "split at \(split)", file: file, line: line)
    }
    XCTAssertEqual(parseHead(bytes, pieces: Array(repeating: 1, count: bytes.count), maxHeadBytes: maxHeadBytes),
                   whole, "byte by byte", file: file, line: line)
}

func makeHead(_ method: String = "GET", _ target: String = "/", _ version: HTTPVersion = .http11,
          _ headers: [(String, String)] = [("Host", "localhost")]) -> RequestHead {
    RequestHead(method: method, target: target, version: version,
                headers: headers.map { HeaderField(name: $0.0, value: $0.1) })
}

// hmrd-fuzz: libFuzzer over the request-head parser and the request policy, the
// code every byte from the network meets first. Built only by scripts/fuzz (the
// target exists when HMRD_FUZZ=1) with -sanitize=fuzzer,address.
//
// Besides "does not crash", each input checks properties that must hold for any
// bytes: the parser's answer does not depend on how the input was split, it never
// claims more bytes than it was given, and whatever the policy lets through has a
// clean absolute path, a Host from the allow-list and never a wildcard CORS origin.

import CFuzzerDriver
import Glibc
import HMRCore

let policy = RequestPolicy(listenHost: "127.0.0.1", extraHosts: ["dev.example"], extraOrigins: ["http://dev.example:8080"])

/// Stops the run with the input saved as a crash: libFuzzer catches the trap.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("property violated: " + message()) }
}

func parseWhole(_ bytes: [UInt8]) -> RequestHeadParser.Outcome {
    var parser = RequestHeadParser()
    return parser.feed(bytes)
}

/// The same bytes fed in two pieces; a `.complete` in the first piece ends the feed.
func parseSplit(_ bytes: [UInt8], at split: Int) -> RequestHeadParser.Outcome {
    var parser = RequestHeadParser()
    let first = parser.feed(Array(bytes[..<split]))
    guard case .needMore = first else { return first }
    switch parser.feed(Array(bytes[split...])) {
    case .complete(let head, let consumed): return .complete(head, consumed: consumed + split)
    case let other: return other
    }
}

func checkAllowed(_ request: AllowedRequest, _ head: RequestHead) {
    require(request.path.hasPrefix("/"), "allowed path \(request.path) is not absolute")
    require(!request.path.utf8.contains(0), "allowed path holds NUL")
    require(!request.path.contains("\\"), "allowed path holds a backslash")
    require(!request.path.split(separator: "/").contains(".."), "allowed path climbs: \(request.path)")
    require(request.corsOrigin != "*", "wildcard CORS")
    if let origin = request.corsOrigin {
        require(head.values(of: "Origin") == [origin], "CORS origin \(origin) is not the request's one Origin")
    }
    require(head.method == "GET" || head.method == "HEAD", "method \(head.method) allowed")
    require(head.values(of: "Host").count == 1, "allowed without exactly one Host")
    if let relative = StaticPath.relativePath(for: request.path) {
        require(!relative.hasPrefix("/"), "static path is absolute: \(relative)")
        require(!relative.split(separator: "/").contains { $0.hasPrefix(".") }, "static path reaches a dot-file: \(relative)")
    }
}

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let split = Int(data[0])
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let whole = parseWhole(bytes)
    let pieces = parseSplit(bytes, at: min(split, bytes.count))
    require(whole == pieces, "split at \(split) changed the outcome: \(whole) vs \(pieces)")
    guard case .complete(let head, let consumed) = whole else { return 0 }
    require(consumed > 0 && consumed <= bytes.count, "consumed \(consumed) of \(bytes.count)")
    if case .allow(let request) = policy.evaluate(head) { checkAllowed(request, head) }
    return 0
}

/// libFuzzer's usual entry, for toolchains that link its own main.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzzOne(data, size) }

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })

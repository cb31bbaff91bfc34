// hmrd-fuzz: libFuzzer over the code that meets bytes hmrd does not control: the
// request-head parser, the request policy and the body reader (from the network), a
// --proxy backend's answers (ProxyChecks), and
// the import lexer (every changed build output file). Built only by scripts/fuzz (the
// target exists when HMRD_FUZZ=1) with -sanitize=fuzzer,address.
//
// Every input goes through both sets of checks, HTTPChecks and ImportLexerChecks: its
// first byte chooses split points, the rest is the request or the JS. Besides "does not
// crash", each checks properties that must hold for any bytes (see those files).

import CFuzzerDriver
import Glibc
import HMRCore

/// Stops the run with the input saved as a crash: libFuzzer catches the trap.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("property violated: " + message()) }
}

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let seed = Int(data[0])
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    checkHTTP(bytes, split: seed)
    checkBackendAnswer(bytes, split: seed)
    checkImportLexer(bytes, seed: seed)
    return 0
}

/// libFuzzer's usual entry, for toolchains that link its own main.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzzOne(data, size) }

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })

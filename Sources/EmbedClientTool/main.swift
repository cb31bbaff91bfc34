// Writes the browser client as Swift: `EmbedClientTool <hmr-client.js> <out.swift>`.
// Run by the EmbedClient plugin at build time; the daemon serves the literal.
//
// The literal must equal the file byte for byte. It is a raw multi-line string with
// one more `#` than the longest run of `#` after a quote or backslash in the JS (so
// neither a closing delimiter nor an escape can occur inside it), and it ends with
// an extra line break because Swift drops the last one before the closing delimiter.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fail(_ message: String) -> Never {
    let line = Array(("EmbedClientTool: " + message + "\n").utf8)
    _ = line.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

/// The longest run of `#` that follows a `"` or a `\`.
func longestHashRun(_ bytes: [UInt8]) -> Int {
    var longest = 0
    var index = 0
    while index < bytes.count {
        defer { index += 1 }
        guard bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "\\") else { continue }
        var run = 0
        while index + 1 + run < bytes.count, bytes[index + 1 + run] == UInt8(ascii: "#") { run += 1 }
        longest = max(longest, run)
    }
    return longest
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else { fail("usage: EmbedClientTool <hmr-client.js> <ClientScriptSource.swift>") }
let input = URL(fileURLWithPath: arguments[1])
let output = URL(fileURLWithPath: arguments[2])

let bytes: [UInt8]
do { bytes = try [UInt8](Data(contentsOf: input)) } catch { fail("cannot read \(input.path): \(error)") }
guard let js = String(validating: bytes, as: UTF8.self) else { fail("\(input.path) is not UTF-8") }
// Swift normalises line endings inside multi-line literals and rejects NUL, so a
// file with either could not come out exactly as it went in.
if bytes.contains(UInt8(ascii: "\r")) { fail("\(input.path) contains a carriage return; the literal could not reproduce it") }
if bytes.contains(0) { fail("\(input.path) contains a NUL byte; the literal could not reproduce it") }

let hashes = String(repeating: "#", count: longestHashRun(bytes) + 1)
let swift = """
    // Generated at build time by the EmbedClient plugin (Sources/EmbedClient) from
    // client/hmr-client.js. Not checked in: edit client/src/ and run node client/assemble.js.

    /// The browser client served at `<path>/client.js`, byte for byte as in the repository.
    public enum ClientScriptSource {
        public static let text = \(hashes)\"\"\"

    """ + js + "\n" + "\"\"\"\(hashes)\n}\n"

do {
    try Data(swift.utf8).write(to: output, options: .atomic)
} catch {
    fail("cannot write \(output.path): \(error)")
}

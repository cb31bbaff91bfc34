// Helpers shared by the module tests: scans made by hand (the offsets are those of
// `moduleSource`, one import statement per line), content hashes, a seeded generator.

import XCTest
@testable import HMRCore

/// A source of one `import "…";` or `import("…");` per line, and its scan.
func moduleSource(_ imports: [String], dynamic: [String] = [], hot: Bool = false) -> (bytes: [UInt8], scan: ModuleScan) {
    var bytes: [UInt8] = []
    var found: [ModuleImport] = []
    for (specifier, kind) in imports.map({ ($0, ModuleImport.Kind.staticImport) })
        + dynamic.map({ ($0, ModuleImport.Kind.dynamicImport) }) {
        bytes += Array((kind == .dynamicImport ? "import(\"" : "import \"").utf8)
        found.append(ModuleImport(kind: kind, specifier: specifier, start: bytes.count, end: bytes.count + specifier.utf8.count))
        bytes += Array(specifier.utf8) + Array((kind == .dynamicImport ? "\");\n" : "\";\n").utf8)
    }
    if hot { bytes += Array("import.meta.hot?.accept();\n".utf8) }
    return (bytes, ModuleScan(imports: found, mentionsHot: hot))
}

func moduleScan(_ imports: [String], dynamic: [String] = [], hot: Bool = false) -> ModuleScan {
    moduleSource(imports, dynamic: dynamic, hot: hot).scan
}

/// A content hash for a made-up content number.
func contentHash(_ n: Int) -> String { ContentHash.hex(UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15) }

func changed(_ key: String, _ content: Int, _ imports: [String] = [], dynamic: [String] = [], hot: Bool = false)
    -> ModuleGraph.ChangedModule {
    ModuleGraph.ChangedModule(key: key, hash: contentHash(content), scan: moduleScan(imports, dynamic: dynamic, hot: hot))
}

/// SplitMix64, so a randomized test fails the same way every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension ContentHash {
    /// XXH3-64 over 64-bit words, little-endian, as module versions are encoded.
    static func of(words: [UInt64]) -> UInt64 {
        words.map(\.littleEndian).withUnsafeBytes { of($0) }
    }
}

extension ModuleGraph {
    /// Every module's version, by key.
    var allVersions: [String: String] {
        Dictionary(uniqueKeysWithValues: keys.map { ($0, version(of: $0)!) })
    }
}

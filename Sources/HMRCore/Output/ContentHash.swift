// Content hashes as they appear on the wire: XXH3-64, sixteen lowercase hex digits.
//
// The core may call xxhash because it is pure computation; reading the files
// whose bytes are hashed is the loop layer's job.

import CXXHash

public enum ContentHash {
    /// Sixteen lowercase hex digits, zero-padded.
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Whether `text` is a hash as `hex` writes them: sixteen lowercase hex digits.
    public static func isHex(_ text: Substring) -> Bool {
        text.utf8.count == 16 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        XXH3_64bits(bytes.baseAddress, bytes.count)
    }

    public static func of(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { of($0) }
    }
}

/// Hashes a stream of chunks, for files too large to hold at once.
public final class StreamingContentHash {
    private let state: OpaquePointer

    public init() {
        state = XXH3_createState()
        XXH3_64bits_reset(state)
    }

    deinit { XXH3_freeState(state) }

    /// Starts over, so one hasher (and its state allocation) serves many files.
    public func reset() { XXH3_64bits_reset(state) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        XXH3_64bits_update(state, bytes.baseAddress, bytes.count)
    }

    public func finish() -> UInt64 { XXH3_64bits_digest(state) }
}

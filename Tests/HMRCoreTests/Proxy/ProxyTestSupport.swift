// What the proxy codec tests share: every way an input is fed (whole, split in two
// at every byte, byte by byte), fixtures compressed by Python's zlib and gzip
// modules, and a compressor for inputs too large to write out.

import CZlib
import XCTest

/// An input cut into the pieces one test run feeds, named for failure messages.
struct Piecing {
    let name: String
    let pieces: [[UInt8]]

    /// In one piece, in two at every split (an empty piece at either end
    /// included), and one byte at a time.
    static func all(_ bytes: [UInt8]) -> [Piecing] {
        var piecings = [Piecing(name: "whole", pieces: [bytes])]
        for split in 0...bytes.count {
            piecings.append(Piecing(name: "split at \(split)", pieces: [Array(bytes[..<split]), Array(bytes[split...])]))
        }
        piecings.append(Piecing(name: "byte by byte", pieces: bytes.map { [$0] }))
        return piecings
    }

    /// `bytes` in pieces of `size` bytes, the last one shorter.
    static func sized(_ bytes: [UInt8], _ size: Int) -> Piecing {
        Piecing(name: "pieces of \(size)", pieces: stride(from: 0, to: bytes.count, by: size).map {
            Array(bytes[$0..<min($0 + size, bytes.count)])
        })
    }
}

/// Compressed with Python: `gzip.compress(page, mtime=0)`, `zlib.compress(page)`
/// and a raw (wbits -15) compressobj at level 9.
enum Compressed {
    static let page = Array("<html><body>hello, hello, hello</body></html>\n".utf8)
    static let gzip: [UInt8] = [
        0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xB3, 0xC9, 0x28, 0xC9, 0xCD, 0xB1, 0xB3,
        0x49, 0xCA, 0x4F, 0xA9, 0xB4, 0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0xD7, 0x51, 0x40, 0xA6, 0x6C, 0xF4, 0xC1,
        0x32, 0x36, 0xFA, 0x60, 0x65, 0x5C, 0x00, 0x6C, 0x47, 0xCE, 0xBF, 0x2E, 0x00, 0x00, 0x00,
    ]
    static let zlib: [UInt8] = [
        0x78, 0x9C, 0xB3, 0xC9, 0x28, 0xC9, 0xCD, 0xB1, 0xB3, 0x49, 0xCA, 0x4F, 0xA9, 0xB4, 0xCB, 0x48, 0xCD,
        0xC9, 0xC9, 0xD7, 0x51, 0x40, 0xA6, 0x6C, 0xF4, 0xC1, 0x32, 0x36, 0xFA, 0x60, 0x65, 0x5C, 0x00, 0x81,
        0x40, 0x0F, 0xEB,
    ]
    static let raw: [UInt8] = [
        0xB3, 0xC9, 0x28, 0xC9, 0xCD, 0xB1, 0xB3, 0x49, 0xCA, 0x4F, 0xA9, 0xB4, 0xCB, 0x48, 0xCD, 0xC9, 0xC9,
        0xD7, 0x51, 0x40, 0xA6, 0x6C, 0xF4, 0xC1, 0x32, 0x36, 0xFA, 0x60, 0x65, 0x5C, 0x00,
    ]
    /// "hi\n", a second gzip member.
    static let gzipHi: [UInt8] = [
        0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xCB, 0xC8, 0xE4, 0x02, 0x00, 0x7A, 0x7A,
        0x6F, 0xED, 0x03, 0x00, 0x00, 0x00,
    ]
    /// Empty content in each format.
    static let gzipEmpty: [UInt8] = [
        0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00,
    ]
    static let zlibEmpty: [UInt8] = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]
    static let rawEmpty: [UInt8] = [0x03, 0x00]
}

enum TestCompressor {
    enum Format: Int32 {
        case gzip = 31
        case zlib = 15
        case raw = -15
    }

    /// `bytes` compressed by the system's zlib in one go.
    static func compress(_ bytes: [UInt8], as format: Format, level: Int32 = 6) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { deflateEnd(stream); stream.deallocate() }
        precondition(czlib_deflate_init2(stream, level, format.rawValue) == Z_OK)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(bytes.count))) + 32)
        var input = bytes
        input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                stream.pointee.next_in = input.baseAddress
                stream.pointee.avail_in = UInt32(input.count)
                stream.pointee.next_out = output.baseAddress
                stream.pointee.avail_out = UInt32(output.count)
                precondition(deflate(stream, Z_FINISH) == Z_STREAM_END)
            }
        }
        output.removeLast(Int(stream.pointee.avail_out))
        return output
    }

    /// Text that compresses like a page does: words from a small vocabulary in
    /// an order a fixed-seed generator picks.
    static func text(bytes count: Int) -> [UInt8] {
        let words = ["<div>", "</div>", "hello", "world", "class=\"a\"", "<p>", "</p>", "\n", "lorem", "ipsum", "ü"]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var text: [UInt8] = []
        while text.count < count {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            text += words[Int(seed >> 33) % words.count].utf8
            text.append(UInt8(truncatingIfNeeded: seed >> 56) | 0x20)
        }
        return Array(text.prefix(count))
    }
}

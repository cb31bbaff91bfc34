// What ImportRewriter made of a module: the bytes to serve and what it changed, or why
// it changed nothing because the scan does not describe these bytes (the file was
// rewritten after the build's walk read it), so the caller can say so in its log.

public struct RewrittenModule: Sendable, Equatable {
    /// The bytes to serve: the file's own when `mismatch` is set.
    public var bytes: [UInt8]
    /// How many import specifiers now carry a version.
    public var versionedImports: Int
    public var addedHotPrologue: Bool
    public var mismatch: ScanMismatch?
}

/// The first import of a scan that does not fit the bytes it is applied to.
public struct ScanMismatch: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// `start..<end` is not a range inside the bytes.
        case outOfRange
        /// It starts before the previous import ends: scans list imports in source order.
        case outOfOrder
        /// The bytes there are not the specifier's text.
        case textDiffers
    }

    /// Its position in `ModuleScan.imports`.
    public var index: Int
    public var specifier: String
    public var start: Int
    public var end: Int
    public var reason: Reason

    public var description: String {
        let what = switch reason {
        case .outOfRange: "is out of range"
        case .outOfOrder: "overlaps the import before it"
        case .textDiffers: "does not match the file"
        }
        return "import \(index) (\(JSONWriter.quoted(specifier)) at bytes \(start)..<\(end)) \(what)"
    }
}

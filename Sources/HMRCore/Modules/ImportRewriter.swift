// The bytes hmrd serves for an ES module: each import of a module that has a version is
// written with it (`./a.js?v=…`), and a module that uses `import.meta.hot` gets the hot
// prologue (HotPrologue). No line break is added or removed, so a source map still
// matches line for line. A scan that does not fit the bytes changes nothing.

public enum ImportRewriter {
    /// `source` as served: `scan` must be of these bytes; `version` gives a key's version,
    /// nil for a key that is not a module.
    public static func rewrite(_ source: [UInt8], scan: ModuleScan, key: String, urlPrefix: String,
                               version: (String) -> String?) -> RewrittenModule {
        if let mismatch = firstMismatch(of: scan, in: source) {
            return RewrittenModule(bytes: source, versionedImports: 0, addedHotPrologue: false, mismatch: mismatch)
        }
        var prologue = scan.mentionsHot ? HotPrologue.insertion(in: source) : nil
        let addsPrologue = prologue != nil
        var output: [UInt8] = []
        output.reserveCapacity(source.count + HotPrologue.bytes.count + 1 + scan.imports.count * 20)
        var copied = 0
        var versioned = 0

        func copy(upTo offset: Int) {
            output.append(contentsOf: source[copied..<offset])
            copied = offset
        }
        func insertPrologue(ifAtOrBefore offset: Int) {
            guard let at = prologue, at.offset <= offset else { return }
            copy(upTo: at.offset)
            if at.needsLineBreak { output.append(0x0A) }
            output.append(contentsOf: HotPrologue.bytes)
            prologue = nil
        }

        let resolver = ModuleSpecifier.Resolver(importer: key, urlPrefix: urlPrefix)
        for found in scan.imports {
            guard let target = resolver.resolve(found.specifier),
                  let targetVersion = version(target),
                  let text = ModuleSpecifier.versioned(found.specifier, version: targetVersion) else { continue }
            // Only a specifier spanning the hashbang's line break could hold the prologue's
            // place; it would have a backslash and so never resolve, but the prologue wins.
            if let at = prologue?.offset, found.start < at, at < found.end { continue }
            insertPrologue(ifAtOrBefore: found.start)
            copy(upTo: found.start)
            output.append(contentsOf: text.utf8)
            copied = found.end
            versioned += 1
        }
        insertPrologue(ifAtOrBefore: source.count)
        copy(upTo: source.count)
        return RewrittenModule(bytes: output, versionedImports: versioned, addedHotPrologue: addsPrologue,
                               mismatch: nil)
    }

    /// The module at `key` as the graph has scanned it, with the graph's versions; nil
    /// when `key` is not a module of the graph.
    public static func rewrite(_ source: [UInt8], key: String, graph: ModuleGraph) -> RewrittenModule? {
        guard let scan = graph.scan(of: key) else { return nil }
        return rewrite(source, scan: scan, key: key, urlPrefix: graph.urlPrefix, version: graph.version(of:))
    }

    /// Every import must lie inside the bytes, in order, over exactly its specifier's text.
    static func firstMismatch(of scan: ModuleScan, in source: [UInt8]) -> ScanMismatch? {
        var previousEnd = 0
        for (index, found) in scan.imports.enumerated() {
            let reason: ScanMismatch.Reason? =
                if found.start < 0 || found.start > found.end || found.end > source.count { .outOfRange }
                else if found.start < previousEnd { .outOfOrder }
                else if !source[found.start..<found.end].elementsEqual(found.specifier.utf8) { .textDiffers }
                else { nil }
            if let reason {
                return ScanMismatch(index: index, specifier: found.specifier, start: found.start, end: found.end,
                                    reason: reason)
            }
            previousEnd = found.end
        }
        return nil
    }
}

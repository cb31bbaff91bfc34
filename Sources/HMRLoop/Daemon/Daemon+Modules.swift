// Hot module replacement's daemon side: the import graph kept current from each walk
// (only the modules that changed were read), the graph a page asks for, and a
// module's bytes as served, with each import versioned (ImportRewriter). Every rule
// is the core's (ModuleGraph, ModuleURLPrefix, ImportRewriter); this wires them in.

import HMRCore

extension Daemon {
    /// Where the out dir's modules are loaded from, when hmrd serves them: under --serve
    /// when the out dir is inside it, else at --public-path (behind nginx). One out
    /// folder only: with several watched roots as the out dir, keys carry their prefixes
    /// and no one URL space holds them (under --proxy with --out, the out dir comes first,
    /// unprefixed, and the folders beside it are templates).
    static func modulePrefix(_ config: DaemonConfig, roots: [OutputWalker.Root]) -> String? {
        guard roots.count == 1 || config.proxy != nil, roots[0].keyPrefix.isEmpty else { return nil }
        if let serve = config.serveDir {
            return ModuleURLPrefix.served(outInServe: StaticPath.relativeRealPath(roots[0].path,
                                                                                  root: FilePaths.absolute(serve)))
        }
        return ModuleURLPrefix.publicPath(config.publicPath)
    }

    /// The modules a walk read, into the graph; modules gone from the map, out of it.
    func updateGraph(_ result: OutputWalker.Result) {
        guard modulePrefix != nil else { return }
        let changed = result.scannedModules.map {
            ModuleGraph.ChangedModule(key: $0.key, hash: ContentHash.hex($0.hash), scan: $0.scan)
        }
        let removed = result.removedKeys ?? moduleGraph.moduleKeys { result.modules.entries[$0] == nil }
        guard !changed.isEmpty || !removed.isEmpty else { return }
        _ = moduleGraph.update(changed: changed, removed: removed)
    }

    /// The graph's difference since the last good build, for the `built` payload when small.
    func graphDifference(since hash: String) -> [UInt8]? {
        guard modulePrefix != nil, let earlier = recentGraphs.graph(ofBuild: hash) else { return nil }
        return moduleGraph.payloadDifference(since: hash, earlier: earlier, limit: RecentGraphs.maxModulesInPayload)
    }

    /// A published good build's graph, for pages that ask for it by the build's hash.
    func recordGraph(forBuild hash: String) {
        guard modulePrefix != nil else { return }
        recentGraphs.record(hash: hash, graph: moduleGraph)
    }

    /// `GET P/graph?build=HASH[&since=HASH]`: that build's graph (the current one without
    /// `build`), or what changed in it since the build the page has.
    func graphAnswer(_ request: AllowedRequest) -> Answer {
        let hash = RecentGraphs.askedForBuild(request.query) ?? snapshot.hash
        return router.graph(request, json: recentGraphs.json(ofBuild: hash, since: RecentGraphs.askedSince(request.query)))
    }

    /// A module's bytes as pages get them: imports versioned, `import.meta.hot` bound.
    /// Other files, and modules of an out dir hmrd does not serve, are as read.
    func servedModule(_ bytes: [UInt8], key: String?, hash: String) -> [UInt8] {
        guard let prefix = modulePrefix, let key, ModuleFileName.isModule(key) else { return bytes }
        // The graph's scan is of these very bytes when their hashes agree; else read them now.
        let known = moduleGraph.module(key).flatMap { $0.hash == hash ? $0.scan : nil }
        let rewritten = ImportRewriter.rewrite(bytes, scan: known ?? ImportLexer.scan(bytes), key: key,
                                               urlPrefix: prefix, version: moduleGraph.version(of:))
        if let mismatch = rewritten.mismatch { log.warning("\(key) was served as it is: \(mismatch)") }
        return rewritten.bytes
    }
}

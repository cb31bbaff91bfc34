// --serve: a file, a page with the client's tag, or a redirect; and for files of the
// out dir, one build at a time (DESIGN.md): a page asking for a recent build's
// version of a file gets those very bytes (RecentContents); other requests are held
// while a build rewrites the out dir, until it is published, and a file the module
// map lists is read whole and sent only if it has the map's hash (OutputRead).

import HMRCore

extension Daemon {
    var longestOutputWait: Int { OutputRead.longestWait(buildTimeout: config.buildTimeout) }

    /// `published`: let go by a publish, so the out dir is the map just published even
    /// though the scheduler has not moved on yet.
    /// `moduleKey`: a module of the out dir asked for without --serve (Router's `.module`).
    func serveStatic(_ request: AllowedRequest, on connection: HTTPConnection, head: RequestHead, arrived: Int,
                     published: Bool = false, waitedForUnsettled: Bool = false, moduleKey: String? = nil) {
        guard let files = moduleKey == nil ? staticFiles : moduleFiles else {
            return carryOut(router.error(request, .notFound, "no route for \(request.path)"), for: request, on: connection)
        }
        let path = moduleKey.map { "/" + $0 } ?? request.path
        let found = files.find(path: path, rawPath: moduleKey == nil ? request.rawPath : path, query: request.query)
        let key = outputKey(of: found, path: path, in: files)
        let build = OutputRead.askedForBuild(request.query)
        // The version of the file that build listed, when it is one of the last few.
        let wanted = key.flatMap { key in build.flatMap { recentBuilds.hash(of: key, inBuild: $0) } }
        let kept = wanted.flatMap { recentContents.bytes(of: $0) }
        var facts = OutputRead.Facts(building: !published && scheduler.outputUnsettled, asksForBuild: build != nil,
                                     outOfTime: loop.now >= arrived + longestOutputWait,
                                     waitedForUnsettled: waitedForUnsettled)
        facts.inOutDir = key != nil
        facts.keptVersion = kept != nil
        let held = HeldRequests.Held(connection: connection, request: request, head: head, arrived: arrived,
                                     waitedForUnsettled: waitedForUnsettled, moduleKey: moduleKey)
        switch OutputRead.verdict(facts) {
        case .serveKept:
            guard let kept, let wanted, let key else { return }
            let type = if case .file(let file) = found { file.contentType } else { MIMEType.forPath(key) }
            return send(servedModule(kept, key: key, hash: wanted), contentType: type, head: head, request: request,
                        on: connection, servedHash: wanted)
        case .waitForBuild:
            return hold(held, .waitForBuild)
        default:
            break
        }
        let file: StaticFiles.File
        switch found {
        case .redirect(let location):
            return carryOut(router.redirect(request, to: location), for: request, on: connection)
        case .notFound:
            return carryOut(router.error(request, .notFound, "no file at \(request.path)"), for: request, on: connection)
        case .file(let found):
            file = found
        }
        let expected = key.flatMap { snapshot.modules.entries[$0] }
        let bytes: [UInt8]
        switch OutputRead.reading(isPage: file.isPage, listed: expected != nil, size: file.size,
                                  pageLimit: StaticFiles.maxPageBytes) {
        case .stream:
            guard let body = FileBody(path: file.path) else {
                return carryOut(router.error(request, .notFound, "no file at \(request.path)"), for: request, on: connection)
            }
            return send(body, contentType: file.contentType, head: head, request: request, on: connection)
        case .tooLarge:
            return carryOut(router.error(request, .internalServerError,
                                         "page too large to inject the client into (over \(StaticFiles.maxPageBytes >> 20) MiB)"),
                            for: request, on: connection)
        case .whole(let limit):
            guard let read = StaticFiles.readAll(file.path, limit: limit) else {
                return carryOut(router.error(request, .notFound, "no file at \(request.path)"), for: request, on: connection)
            }
            bytes = read
        }
        let actual = ContentHash.hex(ContentHash.of(bytes))
        // The version the page asked for is as good as the current one.
        facts.keptVersion = false
        facts.expected = actual == wanted ? wanted : expected
        facts.actual = actual
        let verdict = OutputRead.verdict(facts)
        switch verdict {
        case .waitForBuild, .waitForUnsettled:
            hold(held, verdict)
        case .refuse:
            carryOut(router.error(request, .serviceUnavailable,
                                  "\(request.path) is being rewritten outside a build; ask again shortly",
                                  extra: [Router.retryAfter(seconds: 1)]), for: request, on: connection)
        case .serve where file.isPage, .serveKept where file.isPage:
            let tag = ClientScript.tag(streamPath: config.streamPath, build: snapshot.hash)
            carryOut(router.page(request, contentType: file.contentType, body: HTMLInjector.inject(tag, into: bytes),
                                 servedHash: actual), for: request, on: connection)
        case .serve, .serveKept:
            send(servedModule(bytes, key: key, hash: actual), contentType: file.contentType, head: head,
                 request: request, on: connection, servedHash: actual)
        }
    }

    private func hold(_ held: HeldRequests.Held, _ verdict: OutputRead.Verdict) {
        var held = held
        if verdict == .waitForUnsettled { held.waitedForUnsettled = true }
        heldRequests.hold(held, until: OutputRead.holdUntil(verdict, now: loop.now, arrived: held.arrived,
                                                            longestWait: longestOutputWait))
    }

    /// A held request let go: answered as if it had just arrived, then the connection reads on.
    func answerHeld(_ held: HeldRequests.Held, byDeadline: Bool) {
        serveStatic(held.request, on: held.connection, head: held.head, arrived: held.arrived,
                    published: !byDeadline, waitedForUnsettled: held.waitedForUnsettled, moduleKey: held.moduleKey)
    }

    /// The module-map key of the file a request names, when it lies in the out dir
    /// (also for one not there yet, which a running build may be about to write).
    private func outputKey(of found: StaticFiles.Found, path urlPath: String, in files: StaticFiles) -> String? {
        let path: String
        switch found {
        case .file(let file): path = file.path
        case .notFound:
            // Only a build can bring it: outside one, the answer is 404 whatever the key.
            guard scheduler.outputUnsettled, let relative = StaticPath.relativePath(for: urlPath) else { return nil }
            // The folder's path, not the file's: resolving a hostile path's every prefix would
            // cost a system call and a copy of the path per segment.
            path = FilePaths.absolute(files.folder) + "/" + relative
        case .redirect: return nil
        }
        for root in outputRoots {
            if let relative = StaticPath.relativeRealPath(path, root: FilePaths.absolute(root.path)) {
                return root.keyPrefix + relative
            }
        }
        return nil
    }

    /// A file as the body (or the part of it asked for): the head now, the bytes as the socket takes them.
    private func send(_ file: FileBody, contentType: String, head: RequestHead, request: AllowedRequest,
                      on connection: HTTPConnection) {
        let range = ByteRange.requested(in: head, size: file.size)
        let answer = FileAnswer.head(request, contentType: contentType, size: file.size, range: range)
        guard let body = answer.body else {
            file.release()
            return carryOut(Answer(answer.head, status: answer.status, then: .after(request)),
                            for: request, on: connection)
        }
        logRequest(request, answer.status)
        file.limit(first: body.lowerBound, last: body.upperBound)
        connection.send(SharedBytes(answer.head))
        // Each chunk has as long to leave as a head has to come (ConnectionLifecycle).
        connection.sendBody(file, done: { connection.answered(keepAlive: request.keepAlive) })
    }

    /// Checked bytes as the body, or the part of them asked for.
    private func send(_ bytes: [UInt8], contentType: String, head: RequestHead, request: AllowedRequest,
                      on connection: HTTPConnection, servedHash: String) {
        let answer = FileAnswer.head(request, contentType: contentType, size: bytes.count,
                                     range: ByteRange.requested(in: head, size: bytes.count),
                                     extra: [Router.served(servedHash)])
        let body = answer.body.map { Array(bytes[$0]) } ?? []
        carryOut(Answer(answer.head + body, status: answer.status, then: .after(request)),
                 for: request, on: connection)
    }
}

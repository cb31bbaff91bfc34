// --serve: a file, a page with the client's tag, or a redirect; and for files of the
// out dir, one build at a time (DESIGN.md): a page asking for a recent build's
// version of a file gets those very bytes (RecentContents); other requests are held
// while a build rewrites the out dir, until it is published, and a file the module
// map lists is read whole and sent only if it has the map's hash (OutputRead).

import HMRCore

extension Daemon {
    /// How long a request for an out-dir file may wait for a build: --build-timeout, or 30 s.
    var longestOutputWait: Int { config.buildTimeout ?? OutputRead.defaultLongestWait }

    /// `published`: let go by a publish, so the out dir is the map just published even
    /// though the scheduler has not moved on yet.
    func serveStatic(_ request: AllowedRequest, on connection: HTTPConnection, head: RequestHead, arrived: Int,
                     published: Bool = false, waitedForUnsettled: Bool = false) {
        guard let staticFiles else {
            respondError(.notFound, "no route for \(request.path)", to: request, on: connection)
            return
        }
        let found = staticFiles.find(path: request.path, rawPath: request.rawPath, query: request.query)
        var held = HeldRequests.Held(connection: connection, request: request, head: head, arrived: arrived,
                                     waitedForUnsettled: waitedForUnsettled)
        let key = outputKey(of: found, request: request, in: staticFiles)
        let build = Daemon.askedForBuild(request.query)
        // The version of the file that build listed, when it is one of the last few.
        let wanted = key.flatMap { key in build.flatMap { recentBuilds.hash(of: key, inBuild: $0) } }
        if let wanted, let bytes = recentContents.bytes(of: wanted), let key {
            let type = if case .file(let file) = found { file.contentType } else { MIMEType.forPath(key) }
            respond(to: request, on: connection, contentType: type, bytes: bytes,
                    range: ByteRange.requested(in: head, size: bytes.count),
                    extraHeaders: [Daemon.servedHash(wanted)])
            return
        }
        var facts = OutputRead.Facts(building: !published && scheduler.outputUnsettled,
                                     asksForBuild: build != nil,
                                     outOfTime: loop.now >= arrived + longestOutputWait,
                                     waitedForUnsettled: waitedForUnsettled)
        if key != nil, OutputRead.verdict(facts) == .waitForBuild {
            heldRequests.hold(held, until: arrived + longestOutputWait)
            return
        }
        switch found {
        case .redirect(let location):
            var headers = commonHeaders(request)
            headers.append(HeaderField(name: "Location", value: location))
            headers.append(HeaderField(name: "Content-Length", value: "0"))
            logRequest(request, .movedPermanently, note: "to \(location)")
            send(ResponseHead(status: .movedPermanently, headers: headers).encoded(), to: connection, request: request)
        case .notFound:
            respondError(.notFound, "no file at \(request.path)", to: request, on: connection)
        case .file(let file):
            let expected = key.flatMap { snapshot.modules.entries[$0] }
            guard file.isPage || OutputRead.isChecked(listed: expected != nil, size: file.size) else {
                guard let body = FileBody(path: file.path) else {
                    respondError(.notFound, "no file at \(request.path)", to: request, on: connection)
                    return
                }
                respond(to: request, on: connection, contentType: file.contentType, file: body,
                        range: ByteRange.requested(in: head, size: body.size))
                return
            }
            let limit = file.isPage ? StaticFiles.maxPageBytes : OutputRead.checkedMaxBytes
            guard file.size <= limit else {
                respondError(.internalServerError,
                             "page too large to inject the client into (over \(StaticFiles.maxPageBytes >> 20) MiB)",
                             to: request, on: connection)
                return
            }
            guard let bytes = StaticFiles.readAll(file.path, limit: limit) else {
                respondError(.notFound, "no file at \(request.path)", to: request, on: connection)
                return
            }
            let actual = ContentHash.hex(ContentHash.of(bytes))
            // The version the page asked for is as good as the current one.
            facts.expected = actual == wanted ? wanted : expected
            facts.actual = actual
            switch OutputRead.verdict(facts) {
            case .waitForBuild:
                heldRequests.hold(held, until: arrived + longestOutputWait)
            case .waitForUnsettled:
                held.waitedForUnsettled = true
                heldRequests.hold(held, until: min(loop.now + OutputRead.unsettledWait, arrived + longestOutputWait))
            case .refuse:
                logRequest(request, .serviceUnavailable, note: "its bytes belong to no published build")
                send(CannedResponse.text(.serviceUnavailable,
                                         message: "\(request.path) is being rewritten outside a build; ask again shortly",
                                         corsOrigin: request.corsOrigin,
                                         extraHeaders: [HeaderField(name: "Retry-After", value: "1")],
                                         keepAlive: request.keepAlive, headOnly: request.isHead),
                     to: connection, request: request)
            case .serve:
                let served = Daemon.servedHash(actual)
                if file.isPage {
                    respond(to: request, on: connection, status: .ok, contentType: file.contentType,
                            body: HTMLInjector.inject(clientTag, into: bytes), extraHeaders: [served])
                } else {
                    respond(to: request, on: connection, contentType: file.contentType, bytes: bytes,
                            range: ByteRange.requested(in: head, size: bytes.count), extraHeaders: [served])
                }
            }
        }
    }

    /// A held request let go: answered as if it had just arrived, then the connection reads on.
    func answerHeld(_ held: HeldRequests.Held, byDeadline: Bool) {
        serveStatic(held.request, on: held.connection, head: held.head, arrived: held.arrived,
                    published: !byDeadline, waitedForUnsettled: held.waitedForUnsettled)
        held.connection.resumeAfterHold()
    }

    /// The page's build rides in the tag, so its client starts from that build, not a later one.
    private var clientTag: [UInt8] {
        let build = snapshot.hash.isEmpty ? "" : "?build=" + snapshot.hash
        return Array("<script src=\"\(config.streamPath)/client.js\(build)\"></script>".utf8)
    }

    /// `?hmr=HASH` (or `HASH-N` when asked again): the build whose version of a file the
    /// client is updating the page to. Any other value still marks a page updating in place.
    static func askedForBuild(_ query: String?) -> String? {
        guard let query, let pair = query.split(separator: "&").last(where: { $0.hasPrefix("hmr=") }) else { return nil }
        return String(pair.dropFirst(4).prefix { $0 != "-" })
    }

    /// The hash of what is sent, for the client to compare with the map's (Resource Timing).
    static func servedHash(_ hash: String) -> HeaderField {
        HeaderField(name: "Server-Timing", value: "hmr;desc=\"\(hash)\"")
    }

    /// The module-map key of the file a request names, when it lies in the out dir
    /// (also for one not there yet, which a running build may be about to write).
    private func outputKey(of found: StaticFiles.Found, request: AllowedRequest, in files: StaticFiles) -> String? {
        let path: String
        switch found {
        case .file(let file): path = file.path
        case .notFound:
            // Only a build can bring it: outside one, the answer is 404 whatever the key.
            guard scheduler.outputUnsettled, let relative = StaticPath.relativePath(for: request.path) else { return nil }
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
    private func respond(to request: AllowedRequest, on connection: HTTPConnection, contentType: String,
                         file: FileBody, range: ByteRange) {
        let (status, lengthHeaders) = range.answer(size: file.size)
        logRequest(request, status)
        if case .part(let first, let last) = range { file.limit(first: first, last: last) }
        guard status != .rangeNotSatisfiable else {
            file.release()
            send(ResponseHead(status: status, headers: lengthHeaders + commonHeaders(request)).encoded(),
                 to: connection, request: request)
            return
        }
        let headers = [HeaderField(name: "Content-Type", value: contentType)] + lengthHeaders
            + [HeaderField(name: "Cache-Control", value: "no-cache")] + commonHeaders(request)
        let head = ResponseHead(status: status, headers: headers).encoded()
        guard !request.isHead else {
            file.release()
            send(head, to: connection, request: request)
            return
        }
        connection.send(SharedBytes(head))
        // A reader that takes nothing for as long as a head may take is given up on.
        deadlines.watch(connection)
        connection.sendBody(file, progress: { [unowned self] in self.deadlines.watch(connection) },
                            done: { [unowned self] in self.responseEnded(on: connection, request: request) })
    }

    /// Checked bytes as the body, or the part of them asked for.
    private func respond(to request: AllowedRequest, on connection: HTTPConnection, contentType: String,
                         bytes: [UInt8], range: ByteRange, extraHeaders: [HeaderField]) {
        let (status, lengthHeaders) = range.answer(size: bytes.count)
        logRequest(request, status)
        guard status != .rangeNotSatisfiable else {
            send(ResponseHead(status: status, headers: lengthHeaders + commonHeaders(request)).encoded(),
                 to: connection, request: request)
            return
        }
        let headers = [HeaderField(name: "Content-Type", value: contentType)] + lengthHeaders
            + [HeaderField(name: "Cache-Control", value: "no-cache")] + extraHeaders + commonHeaders(request)
        var out = ResponseHead(status: status, headers: headers).encoded()
        if !request.isHead {
            if case .part(let first, let last) = range { out += bytes[first...last] } else { out += bytes }
        }
        send(out, to: connection, request: request)
    }
}

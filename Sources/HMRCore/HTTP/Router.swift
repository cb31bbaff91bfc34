// Which answer a request that passed the prologue (RequestPolicy) gets, whole: hmrd's
// own routes under --path (the stream, the client, status, the import graph), else a
// file of --serve, else (without --serve) an ES module of the out dir under its URL
// prefix, else 404. The daemon hands in what only it knows (open streams, the client's text,
// the status JSON) and writes out the bytes; every status and header is decided here.

public struct Router: Sendable {
    public let streamPath: String
    public let maxClients: Int
    public let servesFiles: Bool
    /// Without --serve, where the out dir's modules are asked for (behind nginx); nil: nowhere.
    public let modulePrefix: String?

    public init(streamPath: String, maxClients: Int, servesFiles: Bool, modulePrefix: String? = nil) {
        self.streamPath = streamPath
        self.maxClients = maxClients
        self.servesFiles = servesFiles
        self.modulePrefix = modulePrefix
    }

    public enum Route: Sendable, Equatable {
        case stream
        case clientScript
        case status
        /// The import graph of a build, for the client's hot module replacement (ModuleGraph+JSON).
        case graph
        /// A page's report, POSTed (ReportDesk); the policy lets nothing else through to it.
        case report
        /// A page's interaction for ghost sync, POSTed (SyncDesk); 404 without --sync.
        case sync
        /// A file of --serve: OutputRead and FileAnswer take it from here.
        case file
        /// An ES module of the out dir, by its key, served without --serve (behind nginx).
        case module(key: String)
        case notFound
    }

    public func route(_ request: AllowedRequest) -> Route {
        switch request.path {
        case streamPath: return .stream
        case streamPath + "/client.js": return .clientScript
        case streamPath + "/status": return .status
        case streamPath + "/graph": return .graph
        case streamPath + Router.reportSuffix: return .report
        case streamPath + Router.syncSuffix: return .sync
        default:
            if servesFiles { return .file }
            return moduleKey(for: request).map { .module(key: $0) } ?? .notFound
        }
    }

    /// The out dir's module a request names under the module prefix, if it names one.
    public func moduleKey(for request: AllowedRequest) -> String? {
        guard let modulePrefix, request.path.hasPrefix(modulePrefix) else { return nil }
        let key = String(request.path.dropFirst(modulePrefix.count))
        guard ModuleFileName.isModule(key), StaticPath.relativePath(for: "/" + key) == key else { return nil }
        return key
    }

    /// The import graph as JSON; 404 for a build that is not among the recent ones.
    public func graph(_ request: AllowedRequest, json: [UInt8]?) -> Answer {
        guard let json else {
            return error(request, .notFound, "that build is not one of the last few; reload the page")
        }
        return whole(request, contentType: "application/json; charset=utf-8", body: json)
    }

    /// Where pages post their reports, under the stream's path.
    public static let reportSuffix = "/report"
    /// Where pages post their interactions with --sync.
    public static let syncSuffix = "/sync"

    /// A ghost sync action: 204 once sent on, why not (400, 429), or 404 without --sync, which
    /// closes (the body is not read).
    public func sync(_ request: AllowedRequest, _ verdict: SyncDesk.Verdict?) -> Answer {
        guard let verdict else {
            let why = "ghost sync is off; start hmrd with --sync to have pages mirror each other"
            return Answer(CannedResponse.text(.notFound, message: why, corsOrigin: request.corsOrigin),
                          status: .notFound, then: .close, note: why)
        }
        return posted(request, verdict.status, reason: verdict.reason)
    }

    /// 204 for a report taken, else why not (400, 429).
    public func report(_ request: AllowedRequest, _ verdict: ReportDesk.Verdict) -> Answer {
        posted(request, verdict.status, reason: verdict.reason)
    }

    /// A POST's answer: 204 when taken (`reason` nil), else `status` and why. Its body was
    /// read whole, so the connection may carry on either way.
    private func posted(_ request: AllowedRequest, _ status: HTTPStatus, reason: String?) -> Answer {
        guard let reason else {
            let head = ResponseHeaders.head(.noContent, contentType: nil, length: [], cache: nil,
                                            corsOrigin: request.corsOrigin, keepAlive: request.keepAlive)
            return Answer(head.encoded(), status: .noContent, then: .after(request))
        }
        return error(request, status, reason)
    }

    /// The event stream's head, or 503 once `--max-clients` streams are open.
    public func stream(_ request: AllowedRequest, openStreams: Int) -> Answer {
        guard openStreams < maxClients else {
            return Answer(CannedResponse.text(
                .serviceUnavailable, message: "too many open streams (--max-clients \(maxClients))",
                corsOrigin: request.corsOrigin, extraHeaders: [Router.retryAfter(seconds: 5)], headOnly: request.isHead),
                status: .serviceUnavailable, then: .close, note: "--max-clients \(maxClients) streams are open")
        }
        // A HEAD gets the head alone: there is no stream to keep open.
        return Answer(EventStreamHead.bytes(corsOrigin: request.corsOrigin), status: .ok,
                      then: request.isHead ? .close : .stream)
    }

    /// The browser client, as rendered for this request.
    public func clientScript(_ request: AllowedRequest, text: String) -> Answer {
        whole(request, contentType: "text/javascript; charset=utf-8", body: Array(text.utf8))
    }

    public func status(_ request: AllowedRequest, json: String) -> Answer {
        whole(request, contentType: "application/json; charset=utf-8", body: Array(json.utf8))
    }

    /// A page with the client's tag in it.
    public func page(_ request: AllowedRequest, contentType: String, body: [UInt8], servedHash: String) -> Answer {
        whole(request, contentType: contentType, body: body, extra: [Router.served(servedHash)])
    }

    public func error(_ request: AllowedRequest, _ status: HTTPStatus, _ message: String,
                      extra: [HeaderField] = []) -> Answer {
        Answer(CannedResponse.text(status, message: message, corsOrigin: request.corsOrigin, extraHeaders: extra,
                                   keepAlive: request.keepAlive, headOnly: request.isHead),
               status: status, then: .after(request), note: message)
    }

    /// A folder's URL without its slash: the same URL with one, its query kept.
    public func redirect(_ request: AllowedRequest, to location: String) -> Answer {
        let head = ResponseHeaders.head(.movedPermanently, contentType: nil,
                                        length: [HeaderField(name: "Content-Length", value: "0")], cache: nil,
                                        extra: [HeaderField(name: "Location", value: location)],
                                        corsOrigin: request.corsOrigin, keepAlive: request.keepAlive)
        return Answer(head.encoded(), status: .movedPermanently, then: .after(request),
                      note: "to \(location)")
    }

    /// What a request refused by the prologue is told; the connection closes after it,
    /// so a body it did not read is never taken for the next request.
    public static func refusal(_ status: HTTPStatus, reason: String, corsOrigin: String?, method: String,
                               allow: String = CannedResponse.allowedMethods) -> Answer {
        Answer(CannedResponse.denial(status, reason: reason, corsOrigin: corsOrigin, headOnly: method == "HEAD",
                                     allow: allow),
               status: status, then: .close, note: reason)
    }

    /// The hash of what is sent, for the client to compare with the map's (Resource Timing).
    public static func served(_ hash: String) -> HeaderField {
        HeaderField(name: "Server-Timing", value: "hmr;desc=\"\(hash)\"")
    }

    public static func retryAfter(seconds: Int) -> HeaderField {
        HeaderField(name: "Retry-After", value: String(seconds))
    }

    /// Which build's state client.js starts from: the page's own (`?build=HASH`) while it is
    /// one of the recent ones, else the current one.
    public static func clientBoot(query: String?, current: BuildSnapshot,
                                  recent: RecentBuilds) -> (hash: String, modules: [UInt8]) {
        if let hash = ClientScript.pageBuild(fromQuery: query), let modules = recent.modules(of: hash) {
            return (hash, modules)
        }
        return (current.hash, current.modules.json)
    }

    private func whole(_ request: AllowedRequest, contentType: String, body: [UInt8], extra: [HeaderField] = []) -> Answer {
        Answer(ResponseHeaders.whole(.ok, contentType: contentType, body: body, extra: extra,
                                     corsOrigin: request.corsOrigin, keepAlive: request.keepAlive,
                                     headOnly: request.isHead),
               status: .ok, then: .after(request))
    }
}

/// An answer whole: the bytes to write and what the connection does after them.
public struct Answer: Sendable, Equatable {
    public enum Then: Sendable, Equatable {
        /// Keep-alive: read the next request.
        case nextRequest
        /// End the connection once the bytes have left.
        case close
        /// The connection now carries the event stream.
        case stream

        /// After a whole answer: the next request on a kept-alive connection, else the end.
        public static func after(_ request: AllowedRequest) -> Then { request.keepAlive ? .nextRequest : .close }
    }

    public var bytes: [UInt8]
    public var status: HTTPStatus
    public var then: Then
    /// Why, for the --verbose line (a refusal's reason, a redirect's target).
    public var note: String?

    public init(_ bytes: [UInt8], status: HTTPStatus, then: Then, note: String? = nil) {
        self.bytes = bytes
        self.status = status
        self.then = then
        self.note = note
    }
}

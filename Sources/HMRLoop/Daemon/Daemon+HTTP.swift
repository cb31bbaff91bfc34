// The daemon's HTTP side: accept, the request prologue (RequestPolicy) for every
// request, then the routes — the event stream, the client, status, static files.
// With --verbose each answer (method, target, status) and each stream's coming and
// going is logged; the checks for that are cheap when it is off.

import CLibUV
import HMRCore

extension Daemon: HTTPConnectionOwner {
    func accepted(_ handle: UnsafeMutablePointer<uv_tcp_t>) {
        let connection = HTTPConnection(handle: handle, owner: self)
        connections[ObjectIdentifier(connection)] = connection
        deadlines.watch(connection)
        connection.startReading()
    }

    /// What a connection turned away for want of file descriptors is told.
    func turnAwayResponse(limit: Int) -> SharedBytes {
        SharedBytes(CannedResponse.text(
            .serviceUnavailable, message: "hmrd is out of file descriptors (ulimit -n \(limit)); try again shortly",
            corsOrigin: nil, extraHeaders: [HeaderField(name: "Retry-After", value: "5")]))
    }

    /// The listener's troubles, already thinned out to one line per stretch.
    func listenerReported(_ event: TCPListener.Event) {
        switch event {
        case .turningAway(let limit):
            log.warning("too many open files: hmrd is near its limit of \(limit) file descriptors (ulimit -n) "
                + "and turns new connections away with 503 to keep some for builds; raise `ulimit -n` "
                + "before starting hmrd (`ulimit -Hn` shows how far it may go)")
        case .acceptingAgain(let count):
            log.emit(.acceptingAgain(turnedAway: count))
        case .acceptFailed(let error):
            log.warning("accepting a connection failed: \(error)")
        case .stoppedListening(let error):
            log.error("out of file descriptors and cannot listen again on \(config.host):\(port) (\(error)): "
                + "no new connections until hmrd is restarted; raise `ulimit -n`")
        }
    }

    func connectionDidClose(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = nil
        heldRequests.forget(connection)
        // At shutdown every stream closes at once: that is one `stopping`, not a line each.
        if hub.leave(connection), !stopping {
            let stalled = connection.writeState.queuedBytes > connection.writeState.highWater
            log.emit(.clientDisconnected(open: hub.count, stalled: stalled))
        }
    }

    func connection(_ connection: HTTPConnection, didFail error: RequestError) {
        let message: String
        switch error {
        case .malformed(let reason): message = reason
        case .headTooLarge: message = "request head larger than \(RequestHeadParser.defaultMaxHeadBytes) bytes"
        case .bodyTooLarge, .lengthRequired, .unsupportedTransferCoding, .unsupportedExpectation: message = error.message
        }
        log.emit(.request(method: nil, target: nil, status: error.status.code, note: message))
        connection.sendAndClose(SharedBytes(CannedResponse.text(error.status, message: message, corsOrigin: nil)))
    }

    func connection(_ connection: HTTPConnection, didReceive head: RequestHead) {
        switch policy.evaluate(head) {
        case .deny(let status, let reason, let corsOrigin):
            log.emit(.request(method: head.method, target: head.target, status: status.code, note: reason))
            connection.sendAndClose(SharedBytes(CannedResponse.denial(status, reason: reason, corsOrigin: corsOrigin,
                                                                      headOnly: head.method == "HEAD")))
        case .allow(let request):
            route(request, on: connection, head: head)
        }
    }

    private func route(_ request: AllowedRequest, on connection: HTTPConnection, head: RequestHead) {
        let base = config.streamPath
        switch request.path {
        case base:
            openStream(request, on: connection, page: head.value(of: "Referer"))
        case base + "/client.js":
            // The build the page came from, if it is not the current one and still known.
            let page = ClientScript.pageBuild(fromQuery: request.query).flatMap { hash in
                recentBuilds.modules(of: hash).map { (hash, $0) }
            }
            let boot = ClientScript.Boot(hash: page?.0 ?? snapshot.hash, modules: page?.1 ?? snapshot.modules.json,
                                         publicPath: config.publicPath, streamPath: config.streamPath,
                                         name: config.name, heartbeat: config.heartbeat)
            respond(to: request, on: connection, status: .ok, contentType: "text/javascript; charset=utf-8",
                    body: Array(ClientScript.render(boot).utf8))
        case base + "/status":
            respond(to: request, on: connection, status: .ok, contentType: "application/json; charset=utf-8",
                    body: Array(statusReport.json.utf8))
        default:
            serveStatic(request, on: connection, head: head, arrived: loop.now)
        }
    }

    private func openStream(_ request: AllowedRequest, on connection: HTTPConnection, page: String?) {
        guard hub.count < config.maxClients else {
            logRequest(request, .serviceUnavailable, note: "--max-clients \(config.maxClients) streams are open")
            connection.sendAndClose(SharedBytes(CannedResponse.text(
                .serviceUnavailable, message: "too many open streams (--max-clients \(config.maxClients))",
                corsOrigin: request.corsOrigin, extraHeaders: [HeaderField(name: "Retry-After", value: "5")],
                headOnly: request.isHead)))
            return
        }
        let head = EventStreamHead.bytes(corsOrigin: request.corsOrigin)
        if request.isHead {
            connection.send(SharedBytes(head))
            logRequest(request, .ok)
            connection.finish()
            return
        }
        connection.becomeStream()
        hub.join(connection, head: head, lastEventID: request.lastEventID) {
            Payload.sync(name: config.name, snapshot: snapshot)
        }
        log.emit(.clientConnected(page: page, open: hub.count))
    }

    func commonHeaders(_ request: AllowedRequest) -> [HeaderField] {
        var headers: [HeaderField] = []
        if let origin = request.corsOrigin {
            headers.append(HeaderField(name: "Access-Control-Allow-Origin", value: origin))
            headers.append(HeaderField(name: "Vary", value: "Origin"))
        }
        headers.append(HeaderField(name: "Connection", value: request.keepAlive ? "keep-alive" : "close"))
        return headers
    }

    func respond(to request: AllowedRequest, on connection: HTTPConnection, status: HTTPStatus,
                 contentType: String, body: [UInt8], extraHeaders: [HeaderField] = []) {
        logRequest(request, status)
        var headers = [HeaderField(name: "Content-Type", value: contentType),
                       HeaderField(name: "Content-Length", value: String(body.count)),
                       HeaderField(name: "Cache-Control", value: "no-cache")]
        headers += extraHeaders + commonHeaders(request)
        var bytes = ResponseHead(status: status, headers: headers).encoded()
        if !request.isHead { bytes += body }
        send(bytes, to: connection, request: request)
    }

    func respondError(_ status: HTTPStatus, _ message: String, to request: AllowedRequest,
                      on connection: HTTPConnection) {
        logRequest(request, status, note: message)
        send(CannedResponse.text(status, message: message, corsOrigin: request.corsOrigin,
                                 keepAlive: request.keepAlive, headOnly: request.isHead),
             to: connection, request: request)
    }

    func send(_ bytes: [UInt8], to connection: HTTPConnection, request: AllowedRequest) {
        connection.send(SharedBytes(bytes))
        responseEnded(on: connection, request: request)
    }

    /// A response has gone out (or been queued): wait for the next request, or close.
    func responseEnded(on connection: HTTPConnection, request: AllowedRequest) {
        if request.keepAlive {
            deadlines.watch(connection)
        } else {
            connection.finish()
        }
    }

    /// The --verbose line for an answered request; the target as sent, still encoded.
    func logRequest(_ request: AllowedRequest, _ status: HTTPStatus, note: String? = nil) {
        guard log.shows(.debug) else { return }
        let target = request.rawPath + (request.query.map { "?" + $0 } ?? "")
        log.emit(.request(method: request.isHead ? "HEAD" : "GET", target: target, status: status.code, note: note))
    }

    var statusReport: StatusReport {
        StatusReport(building: scheduler.isBuilding, name: config.name, hash: snapshot.hash, buildCount: buildCount,
                     lastExitCode: lastReport?.outcome.exitCode, lastBuildMs: lastReport?.time,
                     lastBuildOK: lastReport.map { $0.outcome.succeeded }, clients: hub.count,
                     uptimeMs: loop.now - startedAt, version: HMRVersion.string)
    }
}

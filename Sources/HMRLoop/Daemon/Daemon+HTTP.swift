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
        connection.open()
    }

    /// What a connection turned away for want of file descriptors is told.
    func turnAwayResponse(limit: Int) -> SharedBytes {
        SharedBytes(CannedResponse.text(
            .serviceUnavailable, message: "hmrd is out of file descriptors (ulimit -n \(limit)); try again shortly",
            corsOrigin: nil, extraHeaders: [Router.retryAfter(seconds: 5)]))
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
        log.emit(.request(method: nil, target: nil, status: error.status.code, note: error.message))
        connection.sendAndClose(SharedBytes(CannedResponse.text(error.status, message: error.message, corsOrigin: nil)))
    }

    func connection(_ connection: HTTPConnection, didReceive head: RequestHead) {
        switch policy.evaluate(head) {
        case .deny(let status, let reason, let corsOrigin):
            log.emit(.request(method: head.method, target: head.target, status: status.code, note: reason))
            let refusal = Router.refusal(status, reason: reason, corsOrigin: corsOrigin, method: head.method,
                                         allow: policy.allowedMethods(head))
            connection.sendAndClose(SharedBytes(refusal.bytes))
        case .allow(let request):
            route(request, on: connection, head: head)
        case .proxy(let request):
            // The out dir's ES modules come from hmrd, their imports versioned; the rest from the backend.
            if let own = policy.ownRequest(request), let key = router.moduleKey(for: own), moduleGraph.module(key) != nil {
                serveStatic(own, on: connection, head: head, arrived: loop.now, moduleKey: key)
            } else {
                proxyDesk?.pass(request, on: connection)
            }
        }
    }

    private func route(_ request: AllowedRequest, on connection: HTTPConnection, head: RequestHead) {
        switch router.route(request) {
        case .stream:
            let answer = router.stream(request, openStreams: hub.count)
            guard answer.then == .stream else { return carryOut(answer, for: request, on: connection) }
            logRequest(request, answer.status)
            connection.becomeStream()
            hub.join(connection, head: answer.bytes, lastEventID: request.lastEventID) {
                Payload.sync(name: config.name, snapshot: snapshot)
            }
            log.emit(.clientConnected(page: head.value(of: "Referer"), open: hub.count))
        case .clientScript:
            let start = Router.clientBoot(query: request.query, current: snapshot, recent: recentBuilds)
            let boot = ClientScript.Boot(hash: start.hash, modules: start.modules, publicPath: config.publicPath,
                                         streamPath: config.streamPath, name: config.name, heartbeat: config.heartbeat,
                                         sync: config.sync, proxy: config.proxy != nil)
            carryOut(router.clientScript(request, text: ClientScript.render(boot)), for: request, on: connection)
        case .status:
            carryOut(router.status(request, json: statusReport.json), for: request, on: connection)
        case .graph:
            carryOut(graphAnswer(request), for: request, on: connection)
        case .report:
            guard let body = request.body else { return }
            connection.readBody(body, limit: RequestBodyReader.defaultLimit) { [unowned self, unowned connection] bytes in
                self.carryOut(self.receiveReport(request, bytes), for: request, on: connection)
            }
        case .sync:
            guard config.sync, let body = request.body else { return carryOut(router.sync(request, nil), for: request, on: connection) }
            connection.readBody(body, limit: RequestBodyReader.defaultLimit) { [unowned self, unowned connection] bytes in
                self.carryOut(self.receiveGhost(request, bytes), for: request, on: connection)
            }
        case .file:
            serveStatic(request, on: connection, head: head, arrived: loop.now)
        case .module(let key):
            serveStatic(request, on: connection, head: head, arrived: loop.now, moduleKey: key)
        case .notFound:
            carryOut(router.error(request, .notFound, "no route for \(request.path)"), for: request, on: connection)
        }
    }

    /// Writes an answer and does what it says next: read the next request, or close.
    func carryOut(_ answer: Answer, for request: AllowedRequest, on connection: HTTPConnection) {
        logRequest(request, answer.status, note: answer.note)
        connection.send(SharedBytes(answer.bytes))
        if answer.then == .nextRequest {
            connection.answered(keepAlive: true)
        } else {
            connection.finish()
        }
    }

    /// The --verbose line for an answered request; the target as sent, still encoded.
    func logRequest(_ request: AllowedRequest, _ status: HTTPStatus, note: String? = nil) {
        guard log.shows(.debug) else { return }
        let target = request.rawPath + (request.query.map { "?" + $0 } ?? "")
        log.emit(.request(method: request.method, target: target, status: status.code, note: note))
    }

    var statusReport: StatusReport {
        StatusReport(building: scheduler.isBuilding, name: config.name, hash: snapshot.hash, buildCount: buildCount,
                     lastExitCode: lastReport?.outcome.exitCode, lastBuildMs: lastReport?.time,
                     lastBuildOK: lastReport.map { $0.outcome.succeeded }, clients: hub.count,
                     uptimeMs: loop.now - startedAt, version: HMRVersion.string, pages: reports.table.open())
    }
}

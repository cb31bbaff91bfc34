// The request prologue every route passes through: target, Host, method, CORS.
//
// Checks run in a fixed order (framing 400/413/501, target 400, Host 403, method
// 405, a body no route takes 400) so a request is refused for the same reason
// whichever route it was meant for. Refusal messages name the knob that would
// change the answer. A refusal always closes the connection, so a body it leaves
// unread is never taken for the next request.

public struct RequestPolicy: Sendable {
    let hosts: HostAllowList
    let origins: OriginAllowList

    public init(listenHost: String, extraHosts: [String], extraOrigins: [String]) {
        hosts = HostAllowList(listenHost: listenHost, extraHosts: extraHosts)
        origins = OriginAllowList(extraOrigins: extraOrigins)
    }

    public func evaluate(_ head: RequestHead) -> PolicyDecision {
        let corsOrigin = origins.corsOrigin(for: head)
        let framing: RequestBodyFraming
        do {
            framing = try RequestBodyFraming(head: head)
        } catch {
            return .deny(error.status, reason: error.message, corsOrigin: corsOrigin)
        }
        let target: RequestTarget
        switch RequestTarget.parse(head.target) {
        case .success(let parsed): target = parsed
        case .failure(let problem): return .deny(.badRequest, reason: problem.rawValue, corsOrigin: corsOrigin)
        }
        if let refusal = hostRefusal(head) {
            return .deny(.forbidden, reason: refusal, corsOrigin: corsOrigin)
        }
        guard head.method == "GET" || head.method == "HEAD" else {
            return .deny(.methodNotAllowed, reason: "method \(head.method) is not allowed here; use GET or HEAD",
                         corsOrigin: corsOrigin)
        }
        // GET and HEAD are all the routes take, and neither has a body.
        guard framing == .none || framing == .length(0) else {
            return .deny(.badRequest, reason: "a \(head.method) request takes no body", corsOrigin: corsOrigin)
        }
        let lastEventID = StreamResumePoint.lastEventID(header: head.value(of: "Last-Event-ID"), query: target.query)
        return .allow(AllowedRequest(path: target.path, rawPath: target.rawPath, query: target.query,
                                     isHead: head.method == "HEAD", corsOrigin: corsOrigin,
                                     lastEventID: lastEventID, keepAlive: head.keepAlive))
    }

    /// Why the Host header is refused, or nil when it is allowed.
    func hostRefusal(_ head: RequestHead) -> String? {
        let values = head.values(of: "Host")
        guard values.count == 1, let value = values.first else {
            return values.isEmpty ? "missing host header" : "duplicate host header"
        }
        guard let authority = Authority(parsing: value[...]) else { return "invalid host header" }
        if hosts.allows(authority) { return nil }
        // Safe to echo: a parsed authority holds only name and IP-literal bytes.
        return "host \(authority.host) is not allowed; start hmrd with --allow-host \(authority.host) to accept it"
    }
}

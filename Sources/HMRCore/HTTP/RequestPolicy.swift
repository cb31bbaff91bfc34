// The request prologue every route passes through: target, Host, method, CORS.
//
// Checks run in a fixed order (framing 400/413/501, target 400, Host 403, method
// 405, a POST's Origin 403 and Expect 417, a body no route takes 400) so a request
// is refused for the same reason whichever route it was meant for. Refusal messages
// name the knob that would change the answer. A refusal always closes the
// connection, so a body it leaves unread is never taken for the next request.

public struct RequestPolicy: Sendable {
    let hosts: HostAllowList
    let origins: OriginAllowList
    /// The paths that take a POST (a page's report): nothing else does.
    let postPaths: Set<String>
    /// With --proxy, hmrd's own paths (the stream path and what is under it); every other
    /// request, whatever its method and body, is the backend's. Nil: nothing is proxied.
    let ownPrefix: String?

    public init(listenHost: String, extraHosts: [String], extraOrigins: [String], postPaths: Set<String> = [],
                proxyingAllBut ownPrefix: String? = nil) {
        hosts = HostAllowList(listenHost: listenHost, extraHosts: extraHosts)
        origins = OriginAllowList(extraOrigins: extraOrigins)
        self.postPaths = postPaths
        self.ownPrefix = ownPrefix
    }

    /// Whether a request for `path` goes to the backend (--proxy).
    func isProxied(_ path: String) -> Bool {
        guard let ownPrefix else { return false }
        return path != ownPrefix && !path.hasPrefix(ownPrefix + "/")
    }

    /// The Allow header of a 405 for this request's target.
    public func allowedMethods(_ head: RequestHead) -> String {
        guard case .success(let target) = RequestTarget.parse(head.target), postPaths.contains(target.path) else {
            return "GET, HEAD"
        }
        return "POST"
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
        if isProxied(target.path) {
            return proxied(head, framing: framing, corsOrigin: corsOrigin)
        }
        let takesPost = postPaths.contains(target.path)
        if head.method == "POST" && takesPost {
            return post(head, target: target, framing: framing, corsOrigin: corsOrigin)
        }
        guard (head.method == "GET" || head.method == "HEAD") && !takesPost else {
            let use = takesPost ? "POST" : "GET or HEAD"
            return .deny(.methodNotAllowed, reason: "method \(head.method) is not allowed here; use \(use)",
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

    /// A POST is a page telling hmrd something: only pages of allowed origins may, and a
    /// tool without an Origin (curl, a script) may too. CORS only hides answers; refusing
    /// here keeps a foreign site from writing into your terminal.
    private func post(_ head: RequestHead, target: RequestTarget, framing: RequestBodyFraming,
                      corsOrigin: String?) -> PolicyDecision {
        let sent = head.values(of: "Origin")
        if !sent.isEmpty && corsOrigin == nil {
            let origin = sent.count == 1 ? TerminalText.safe(String(sent[0].prefix(200))) : "(several)"
            return .deny(.forbidden, reason: "origin \(origin) may not post here; start hmrd with --allow-origin "
                         + "\(origin) to let its pages report", corsOrigin: nil)
        }
        let expectsContinue: Bool
        do {
            expectsContinue = try head.expectsContinue()
        } catch {
            return .deny(error.status, reason: error.message, corsOrigin: corsOrigin)
        }
        return .allow(AllowedRequest(path: target.path, rawPath: target.rawPath, query: target.query, isHead: false,
                                     corsOrigin: corsOrigin, lastEventID: nil, keepAlive: head.keepAlive,
                                     body: RequestBodyToRead(framing: framing, expectsContinue: expectsContinue)))
    }

    /// A request for the backend: its method, body and Origin are the backend's to judge;
    /// only the framing (above), the target and the Host were hmrd's. An `Expect` hmrd
    /// cannot meet is 417 here, as it answers `100 Continue` itself.
    private func proxied(_ head: RequestHead, framing: RequestBodyFraming,
                         corsOrigin: String?) -> PolicyDecision {
        let expectsContinue: Bool
        do {
            expectsContinue = try head.expectsContinue()
        } catch {
            return .deny(error.status, reason: error.message, corsOrigin: corsOrigin)
        }
        return .proxy(ProxiedRequest(head: head, framing: framing, expectsContinue: expectsContinue))
    }

    /// A proxied GET or HEAD without a body, as hmrd would take it for a route of its own: the
    /// out dir's ES modules are hmrd's to serve even under --proxy (Router.moduleKey), so
    /// their imports carry versions; anything else stays the backend's. Nil for the rest.
    public func ownRequest(_ request: ProxiedRequest) -> AllowedRequest? {
        let head = request.head
        guard head.method == "GET" || head.method == "HEAD", request.framing.isEmpty,
              case .success(let target) = RequestTarget.parse(head.target) else { return nil }
        return AllowedRequest(path: target.path, rawPath: target.rawPath, query: target.query,
                              isHead: head.method == "HEAD", corsOrigin: origins.corsOrigin(for: head),
                              lastEventID: nil, keepAlive: head.keepAlive)
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

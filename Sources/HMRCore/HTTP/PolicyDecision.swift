// What `RequestPolicy` decided about a request: serve it, with everything a
// route needs already extracted, or refuse it with a status and a reason.

public enum PolicyDecision: Sendable, Equatable {
    case allow(AllowedRequest)
    /// `corsOrigin` is computed for refusals too, so a page allowed to read
    /// hmrd's responses can also read why it was refused.
    case deny(HTTPStatus, reason: String, corsOrigin: String?)
    /// With --proxy: the backend's request, passed on as it came (ProxyRequestHead).
    case proxy(ProxiedRequest)
}

/// A request that passed the prologue.
public struct AllowedRequest: Sendable, Equatable {
    /// Percent-decoded, normalized path starting with "/" (no query). Empty and
    /// `.` segments are removed; a trailing slash is kept.
    public var path: String
    /// The path part of the target, still encoded.
    public var rawPath: String
    /// The raw query after "?", nil if there was no "?".
    public var query: String?
    public var isHead: Bool
    /// The origin to echo in Access-Control-Allow-Origin, nil = no CORS headers.
    public var corsOrigin: String?
    /// Where an event stream resumes from: the `Last-Event-ID` header, else `?lastEventId=`
    /// (StreamResumePoint).
    public var lastEventID: String?
    public var keepAlive: Bool
    /// A POST's body, still to be read (RequestBodyReader); nil for GET and HEAD.
    public var body: RequestBodyToRead?

    public init(path: String, rawPath: String, query: String?, isHead: Bool,
                corsOrigin: String?, lastEventID: String?, keepAlive: Bool, body: RequestBodyToRead? = nil) {
        self.path = path
        self.rawPath = rawPath
        self.query = query
        self.isHead = isHead
        self.corsOrigin = corsOrigin
        self.lastEventID = lastEventID
        self.keepAlive = keepAlive
        self.body = body
    }

    public var method: String { body != nil ? "POST" : isHead ? "HEAD" : "GET" }
}

/// How a POST's body comes, as its head said.
public struct RequestBodyToRead: Sendable, Equatable {
    public var framing: RequestBodyFraming
    /// The client waits for `100 Continue` before it sends the body.
    public var expectsContinue: Bool

    public init(framing: RequestBodyFraming, expectsContinue: Bool) {
        self.framing = framing
        self.expectsContinue = expectsContinue
    }
}

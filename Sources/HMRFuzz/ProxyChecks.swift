// The --proxy properties fuzzed on every input. As a browser's request: the proxy
// policy sends to the backend only paths outside hmrd's own, with an allowed Host, and
// the head it writes for the backend is the request line as sent and header lines with
// no hop-by-hop field. As a backend's answer (a hostile or broken backend): the head
// the browser gets is well formed, and the body reader's outcome does not depend on
// how the bytes were split, claims no more than it was given, and HTML given the tag
// grows by exactly the tag.

import HMRCore

let proxyPolicy = RequestPolicy(listenHost: "127.0.0.1", extraHosts: [], extraOrigins: [],
                                postPaths: [reportPath, syncPath], proxyingAllBut: "/__hmr")
let proxyTarget = ProxyTarget(host: "127.0.0.1", port: 8000)
let proxyTag = Array("<script src=\"/__hmr/client.js\"></script>".utf8)
let pageRequest = ProxiedRequest(head: RequestHead(method: "GET", target: "/", version: .http11,
                                                   headers: [HeaderField(name: "Host", value: "localhost")]),
                                 framing: .none, expectsContinue: false)

func checkProxiedRequest(_ head: RequestHead) {
    guard case .proxy(let request) = proxyPolicy.evaluate(head) else { return }
    let path = head.target.prefix { $0 != "?" }
    require(path != "/__hmr" && !path.hasPrefix("/__hmr/"), "hmrd's own path \(head.target) went to the backend")
    require(head.values(of: "Host").count == 1, "a request without one allowed Host went to the backend")
    let lines = String(decoding: request.backendHead(client: "127.0.0.1"), as: UTF8.self)
        .split(separator: "\r\n", omittingEmptySubsequences: false)
    require(lines.first == "\(head.method) \(head.target) HTTP/1.1", "request line changed: \(lines.first ?? "")")
    for line in lines.dropFirst() where !line.isEmpty {
        let name = line.prefix { $0 != ":" }.lowercased()
        require(!["keep-alive", "proxy-connection", "te", "trailer", "expect"].contains(name), "hop field \(name) passed")
    }
}

/// `bytes` as the backend's answer to a page load; `split` says where its body is cut.
func checkBackendAnswer(_ bytes: [UInt8], split: Int) {
    guard let start = try? ResponseHeadReader.read(bytes, maxHeadBytes: ProxyAnswer.maxHeadBytes),
          let answer = try? ProxyAnswer.plan(start, for: pageRequest, backend: proxyTarget, tag: proxyTag),
          !answer.interim, !answer.upgrade else { return }
    let head = String(decoding: answer.head, as: UTF8.self)
    require(head.hasPrefix("HTTP/1.1 ") && head.hasSuffix("\r\n\r\n"), "head not framed: \(head)")
    require(!head.dropLast(4).contains("\r\n\r\n"), "a blank line inside the head")
    let body = Array(bytes[start.bodyOffset...])
    let whole = readAnswerBody(body, answer.framing, split: nil)
    let pieces = readAnswerBody(body, answer.framing, split: split % (body.count + 1))
    require(whole == pieces, "split at \(split) changed the body: \(String(describing: whole)) vs \(String(describing: pieces))")
    guard let (payload, consumed) = whole.map({ ($0.payload, $0.consumed) }) else { return }
    require(consumed <= body.count, "consumed \(consumed) of \(body.count)")
    if let injection = answer.injection, injection.decode == nil {
        var injector = StreamingInjector(tag: proxyTag)
        let out = injector.feed(payload) + injector.finish()
        require(out.count == payload.count + proxyTag.count, "the tag changed the length by \(out.count - payload.count)")
    }
}

/// A body read whole: its content and how many bytes were its.
struct AnswerBody: Equatable {
    var payload: [UInt8]
    var consumed: Int
}

/// The body as read, or nil when it is not whole or fails.
func readAnswerBody(_ body: [UInt8], _ framing: MessageBodyFraming, split: Int?) -> AnswerBody? {
    var reader = MessageBodyReader(framing: framing)
    var payload: [UInt8] = []
    var consumed = 0
    for piece in split.map({ [Array(body[..<$0]), Array(body[$0...])] }) ?? [body] {
        guard let step = try? reader.feed(piece, payload: true) else { return nil }
        payload += step.payload
        consumed += step.consumed
        if step.done { return AnswerBody(payload: payload, consumed: consumed) }
    }
    guard framing == .untilClose, (try? reader.endOfInput()) != nil else { return nil }
    return AnswerBody(payload: payload, consumed: consumed)
}

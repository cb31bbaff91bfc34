// The HTTP properties fuzzed on every input: the request-head parser's answer does not
// depend on how the input was split and claims no more bytes than it was given; the
// body reader behind it likewise, and never holds a body over its limit; whatever the
// policy lets through has a clean absolute path, an allowed Host, no wildcard CORS,
// and a POST only to the report path from an allowed Origin or none; a report's body
// is answered 204, 400 or 429, and nothing of it reaches the terminal unescaped.

import HMRCore

let reportPath = "/__hmr/report"
let syncPath = "/__hmr/sync"
let policy = RequestPolicy(listenHost: "127.0.0.1", extraHosts: ["dev.example"], extraOrigins: ["http://dev.example:8080"],
                           postPaths: [reportPath, syncPath])
nonisolated(unsafe) var ghosts = SyncDesk()
/// One desk for the whole run, as the daemon has: its table and limits see every input.
nonisolated(unsafe) var desk = ReportDesk(daemonName: "")
nonisolated(unsafe) var deskClock = 0
let terminal = LogFormatter(settings: LogSettings())

/// The head is `bytes`; `split` (the input's first byte) says where to cut it.
func checkHTTP(_ bytes: [UInt8], split: Int) {
    let whole = parseWhole(bytes)
    let pieces = parseSplit(bytes, at: min(split, bytes.count))
    require(whole == pieces, "split at \(split) changed the outcome: \(whole) vs \(pieces)")
    guard case .complete(let head, let consumed) = whole else { return }
    require(consumed > 0 && consumed <= bytes.count, "consumed \(consumed) of \(bytes.count)")
    if case .allow(let request) = policy.evaluate(head) { checkAllowed(request, head) }
    checkProxiedRequest(head)
    // The body's split point comes from the same first byte, spread so that
    // it moves with the length of the body too.
    let rest = Array(bytes[consumed...])
    let body = checkBody(head, rest, split: (split &* 37 &+ rest.count) % (rest.count + 1))
    if case .allow(let request) = policy.evaluate(head), request.body != nil, let body {
        if request.path == syncPath { checkGhost(body) } else { checkReport(body, split: split) }
    }
}

/// A ghost sync action's body: a defined answer, and a frame that is one JSON object of ours.
func checkGhost(_ body: [UInt8]) {
    let verdict = ghosts.receive(body, now: deskClock)
    require([204, 400, 429].contains(verdict.status.code), "an action answered \(verdict.status.code)")
    guard let frame = verdict.frame else { return }
    require(frame.hasPrefix(#"{"action":"ghost","from":""#), "a ghost frame of another shape: \(frame)")
    require((try? JSONValue.parse(frame)) != nil, "a ghost frame that is not JSON: \(frame)")
    require(!frame.utf8.contains(10) && !frame.utf8.contains(13), "a ghost frame that would break the stream's framing")
}

/// A report's body through the desk: a defined answer, and lines a terminal shows as text.
func checkReport(_ body: [UInt8], split: Int) {
    deskClock += split * 7 // Time moves on between inputs, by a varying step.
    let verdict = desk.receive(body, now: deskClock)
    require([204, 400, 429].contains(verdict.status.code), "a report answered \(verdict.status.code)")
    require((verdict.status.code == 204) == (verdict.reason == nil), "a reason with 204, or none with a refusal")
    for event in verdict.said + desk.tick(now: deskClock) + desk.published(hash: "ab", now: deskClock) {
        guard let line = terminal.line(for: event, epochMilliseconds: 0) else { continue }
        require(!line.text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) },
                "a page's report put a control character in the terminal: \(line.text.debugDescription)")
        require(line.text.utf8.count < 64 * 1024, "a line of \(line.text.utf8.count) bytes")
    }
}

func parseWhole(_ bytes: [UInt8]) -> RequestHeadParser.Outcome {
    var parser = RequestHeadParser()
    return parser.feed(bytes)
}

/// The same bytes fed in two pieces; a `.complete` in the first piece ends the feed.
func parseSplit(_ bytes: [UInt8], at split: Int) -> RequestHeadParser.Outcome {
    var parser = RequestHeadParser()
    let first = parser.feed(Array(bytes[..<split]))
    guard case .needMore = first else { return first }
    switch parser.feed(Array(bytes[split...])) {
    case .complete(let head, let consumed): return .complete(head, consumed: consumed + split)
    case let other: return other
    }
}

/// Small, so that inputs of a few KiB reach the 413 paths of the body reader.
let bodyLimit = 512

/// The body after a head, fed whole (`split` nil) or in two pieces.
func readBody(_ bytes: [UInt8], _ framing: RequestBodyFraming, split: Int?) -> RequestBodyReader.Outcome {
    var reader = RequestBodyReader(framing: framing, limit: bodyLimit)
    return bytes.withUnsafeBytes { all in
        guard let split else { return reader.feed(all) }
        let first = reader.feed(UnsafeRawBufferPointer(rebasing: all[..<split]))
        guard case .needMore = first else { return first }
        switch reader.feed(UnsafeRawBufferPointer(rebasing: all[split...])) {
        case .complete(let body, let consumed): return .complete(body: body, consumed: consumed + split)
        case let other: return other
        }
    }
}

/// Returns the body when it is complete.
@discardableResult
func checkBody(_ head: RequestHead, _ rest: [UInt8], split: Int) -> [UInt8]? {
    let framing: RequestBodyFraming
    do {
        framing = try RequestBodyFraming(head: head)
    } catch {
        require([400, 413, 501].contains(error.status.code), "framing refused with \(error.status.code)")
        return nil
    }
    do {
        _ = try head.expectsContinue()
    } catch {
        require(error.status.code == 417, "expectation refused with \(error.status.code)")
    }
    let whole = readBody(rest, framing, split: nil)
    let pieces = readBody(rest, framing, split: split)
    require(whole == pieces, "body split at \(split) changed the outcome: \(whole) vs \(pieces)")
    switch whole {
    case .complete(let body, let consumed):
        require(consumed >= 0 && consumed <= rest.count, "body consumed \(consumed) of \(rest.count)")
        require(body.count <= bodyLimit, "body of \(body.count) bytes over the limit")
        switch framing {
        case .none: require(body.isEmpty && consumed == 0, "no framing, yet a body")
        case .length(let length): require(body.count == length && consumed == length, "length \(length) misread")
        case .chunked: require(consumed >= body.count + 5, "chunked body shorter than its framing")
        }
        return body
    case .failed(let error):
        require([400, 413].contains(error.status.code), "body refused with \(error.status.code)")
    case .needMore:
        require(framing != .none, "no framing, yet waiting for a body")
        if case .length(let length) = framing { require(rest.count < length, "waiting past the length") }
    }
    return nil
}

func checkAllowed(_ request: AllowedRequest, _ head: RequestHead) {
    require(request.path.hasPrefix("/"), "allowed path \(request.path) is not absolute")
    require(!request.path.utf8.contains(0), "allowed path holds NUL")
    require(!request.path.contains("\\"), "allowed path holds a backslash")
    require(!request.path.split(separator: "/").contains(".."), "allowed path climbs: \(request.path)")
    require(request.corsOrigin != "*", "wildcard CORS")
    if let origin = request.corsOrigin {
        require(head.values(of: "Origin") == [origin], "CORS origin \(origin) is not the request's one Origin")
    }
    require(head.values(of: "Host").count == 1, "allowed without exactly one Host")
    if head.method == "POST" {
        require(request.path == reportPath || request.path == syncPath, "POST allowed to \(request.path)")
        require(request.body != nil, "a POST allowed without its body to read")
        let origins = head.values(of: "Origin")
        require(origins.isEmpty || request.corsOrigin != nil, "a POST from a foreign origin allowed: \(origins)")
        return
    }
    require(head.method == "GET" || head.method == "HEAD", "method \(head.method) allowed")
    require(request.body == nil, "a GET with a body to read")
    let framing = try? RequestBodyFraming(head: head)
    require(framing == RequestBodyFraming.none || framing == .length(0), "allowed with a body no route reads")
    if let relative = StaticPath.relativePath(for: request.path) {
        require(!relative.hasPrefix("/"), "static path is absolute: \(relative)")
        require(!relative.split(separator: "/").contains { $0.hasPrefix(".") }, "static path reaches a dot-file: \(relative)")
    }
}

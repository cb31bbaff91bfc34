// The JSON form: one object per line, `time`, `level` and `event` first, the
// event's own fields next, and `message` (the text line's words) last.
//
// Field names are a contract with tools, listed in the README; new fields may be
// added, so readers should ignore the ones they do not know.

extension LogFormatter {
    func jsonLine(for event: LogEvent, epochMilliseconds: Int) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("time"); w.string(UTCTimestamp.iso8601(epochMilliseconds: epochMilliseconds))
        w.key("level"); w.string(event.level.name)
        w.key("event"); w.string(event.name)
        fields(of: event, into: &w)
        w.key("message"); w.string(message(for: event))
        w.endObject()
        return w.text + "\n"
    }

    private func fields(of event: LogEvent, into w: inout JSONWriter) {
        switch event {
        case .listening(let url, let path):
            w.key("url"); w.string(url)
            w.key("stream"); w.string(path)
            w.key("client"); w.string(url + path + "/client.js")
        case .building(let trigger):
            // As in the `building` payload: a branch switch can touch thousands of paths.
            w.key("trigger"); w.stringArray(Array(trigger.prefix(Payload.maxTriggerPaths)))
            w.key("triggerCount"); w.int(trigger.count)
        case .built(let b):
            w.key("hash"); w.string(b.hash)
            w.key("ms"); w.int(b.milliseconds)
            w.key("added"); w.int(b.added)
            w.key("updated"); w.int(b.updated)
            w.key("removed"); w.int(b.removed)
            w.key("clients"); w.int(b.clients)
        case .buildFailed(let f):
            w.key("exitCode"); w.int(f.exitCode)
            w.key("ms"); w.int(f.milliseconds)
            w.key("reason"); w.string(f.reason)
            w.key("clients"); w.int(f.clients)
            w.key("output"); w.string(f.output)
        case .warning, .error, .stopping:
            break
        case .acceptingAgain(let count):
            w.key("turnedAway"); w.int(count)
        case .pagesOutcome(let o):
            w.key("hash"); w.string(o.hash)
            w.key("applied"); w.int(o.applied)
            w.key("fastestMs"); if let ms = o.fastestMs { w.tenths(ms) } else { w.null() }
            w.key("slowestMs"); if let ms = o.slowestMs { w.tenths(ms) } else { w.null() }
            w.key("reloaded"); w.int(o.reloaded)
            w.key("failed"); w.int(o.failed)
            w.key("unchanged"); w.int(o.unchanged)
            w.key("silent"); w.int(o.silent)
        case .pageFailed(let url, let hash, let error):
            w.key("url"); w.string(url)
            w.key("hash"); w.string(hash)
            w.key("error"); w.string(error)
        case .pageError(let url, let rejection, let message, let stack):
            w.key("url"); w.string(url)
            w.key("kind"); w.string(rejection ? "rejection" : "error")
            w.key("errorMessage"); w.string(message)
            w.key("stack"); if let stack { w.string(stack) } else { w.null() }
        case .reportsDropped(let url, let count), .ghostDropped(let url, let count):
            w.key("url"); w.string(url)
            w.key("count"); w.int(count)
        case .backendDown(let backend, let reason):
            w.key("backend"); w.string(backend)
            w.key("reason"); w.string(reason)
        case .backendUp(let backend):
            w.key("backend"); w.string(backend)
        case .changed(let path):
            w.key("path"); w.string(path)
        case .clientConnected(let page, let open):
            w.key("page"); if let page { w.string(page) } else { w.null() }
            w.key("clients"); w.int(open)
        case .clientDisconnected(let open, let stalled):
            w.key("clients"); w.int(open)
            w.key("stalled"); w.bool(stalled)
        case .request(let method, let target, let status, let note):
            w.key("method"); if let method { w.string(method) } else { w.null() }
            w.key("target"); if let target { w.string(target) } else { w.null() }
            w.key("status"); w.int(status)
            w.key("note"); if let note { w.string(note) } else { w.null() }
        }
    }
}

// Where a joining stream resumes from: the `Last-Event-ID` header, else the
// `lastEventId` query parameter.
//
// A browser's EventSource sends the header only when it reconnects by itself; a new
// EventSource cannot set it. So a tab that takes over another tab's stream (the
// client's "one stream per browser") names the last id it delivered in the URL. The
// header wins: it is what the browser heard last on that very URL. The value is taken
// as it stands: ids are digits, and anything else is unknown to EventHistory and
// gets `sync`.

public enum StreamResumePoint {
    /// The query parameter a new EventSource names its last id with.
    public static let queryName = "lastEventId"

    /// The id a stream resumes after, or nil for none (the client gets `sync`).
    public static func lastEventID(header: String?, query: String?) -> String? {
        if let header { return afterGhosts(header) }
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts[0] == queryName else { continue }
            return parts.count == 2 ? afterGhosts(String(parts[1])) : ""
        }
        return nil
    }

    /// A ghost sync frame's id is the id of the frame before it, a dot and a count
    /// (`17.2`): ghosts are not kept for replay, so a stream that last had one resumes
    /// after the frame before it.
    static func afterGhosts(_ id: String) -> String {
        let parts = id.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(ASCII.isDigit) }) else { return id }
        return String(parts[0])
    }
}

// Reads an event stream back into events, incrementally: bytes go in as they
// arrive, split anywhere, and each complete event comes out once.
//
// Follows the EventSource parsing rules (HTML, "server-sent events"): lines end in
// CRLF, LF or CR; `data:` lines join with LF; a blank line dispatches; `id:` sets
// the last id (one holding NUL is ignored); comments and unknown fields are skipped;
// a block without data dispatches nothing. `hmrd wait` reads the daemon's stream
// with it, so it is tested against the bytes SSEFrame writes.

public struct SSEEvent: Sendable, Equatable {
    public var type: String
    public var data: String
    /// The last id seen so far in the stream (ids persist across events).
    public var lastEventID: String

    public init(type: String = "message", data: String, lastEventID: String = "") {
        self.type = type
        self.data = data
        self.lastEventID = lastEventID
    }
}

public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var type = ""
    private var lastEventID = ""
    /// A CR ended the previous line; an LF right after it belongs to the same break.
    private var afterCR = false
    private var atStart = true
    /// The reconnection time a `retry:` line asked for, if any.
    public private(set) var retry: Int?

    public init() {}

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0D:
                afterCR = true
                endLine(into: &events)
            case 0x0A:
                endLine(into: &events)
            default:
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine(into events: inout [SSEEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if atStart {
            atStart = false
            // A UTF-8 byte order mark opening the stream is not part of the first line.
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == 0x20 { value = value.dropFirst() }
        } else {
            field = line[...]
            value = []
        }
        switch String(decoding: field, as: UTF8.self) {
        case "data":
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        case "event":
            type = String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ (0x30...0x39).contains($0) }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break
        }
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            type = ""
        }
        guard hasData else { return }
        events.append(SSEEvent(type: type.isEmpty ? "message" : type, data: String(decoding: data, as: UTF8.self),
                               lastEventID: lastEventID))
    }
}

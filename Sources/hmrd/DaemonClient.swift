// The HTTP side of `hmrd status` and `hmrd wait`: one GET to a running daemon, its
// response head read with HMRCore's ResponseHeadReader, and the one-line messages
// that name host:port and the flag to change when it goes wrong.

import HMRCore
import HMRLoop

/// Where the daemon is, as the user named it with --host and --port.
struct DaemonAddress {
    let host: String
    let port: Int

    /// "127.0.0.1:5757", "[::1]:5757": for messages and the Host header.
    var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    var url: String { "http://" + authority }

    init(_ listen: ListenOptions) {
        host = listen.host
        port = listen.port
    }

    /// A daemon started with --port 0 printed its real port; asking port 0 reaches nothing.
    func validate() throws(ConfigError) {
        guard port != 0 else { throw ConfigError("--port 0 lets a daemon pick a free port: pass the port it printed") }
        guard (1...65_535).contains(port) else { throw ConfigError("--port must be 1 to 65535, not \(port)") }
    }

    /// The line for a daemon that could not be reached or did not answer as hmrd.
    func describe(_ failure: ReachFailure, waitedMs: Int) -> String {
        switch failure {
        case .refused: return "no hmrd is listening on \(authority) (start one, or pass --port)"
        case .timedOut: return "\(authority) did not answer within \(DurationParser.format(milliseconds: waitedMs)) (is hmrd on --port \(port)?)"
        case .failed(let why): return "cannot reach \(authority): \(why)"
        }
    }
}

/// An answered GET: the head, the socket for the rest of the body, and the body bytes read with the head.
struct DaemonResponse {
    let head: ResponseStart
    let socket: DaemonSocket
    var body: [UInt8]

    /// Everything up to Content-Length, or to the end of the connection without one.
    mutating func readBody(deadline: Int?) throws(ReachFailure) -> [UInt8] {
        let length = head.value(of: "Content-Length").flatMap { Int($0) }
        while length.map({ body.count < $0 }) ?? true {
            let chunk = try socket.receive(deadline: deadline)
            if chunk.isEmpty { break }
            body += chunk
        }
        return length.map { Array(body.prefix($0)) } ?? body
    }
}

enum DaemonClient {
    /// Sends `GET path` and reads the response head; nil if the answer is not HTTP.
    static func get(_ address: DaemonAddress, path: String, accept: String, deadline: Int?) throws(ReachFailure) -> DaemonResponse? {
        let socket = try DaemonSocket.connect(host: address.host, port: address.port, deadline: deadline)
        try socket.send("GET \(path) HTTP/1.1\r\nHost: \(address.authority)\r\nAccept: \(accept)\r\n"
                        + "User-Agent: hmrd/\(HMRVersion.string)\r\nConnection: close\r\n\r\n", deadline: deadline)
        var bytes: [UInt8] = []
        while true {
            let head: ResponseStart?
            do {
                head = try ResponseHeadReader.read(bytes)
            } catch {
                return nil
            }
            if let head { return DaemonResponse(head: head, socket: socket, body: Array(bytes[head.bodyOffset...])) }
            let chunk = try socket.receive(deadline: deadline)
            if chunk.isEmpty { return nil }
            bytes += chunk
        }
    }
}

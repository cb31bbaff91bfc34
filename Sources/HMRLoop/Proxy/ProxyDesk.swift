// The daemon's --proxy side: the backend's pool, whether it answers (BackendHealth),
// and what every exchange asks of the daemon (the client's tag, log lines).

import HMRCore

final class ProxyDesk: ProxyContext {
    let backendPool: BackendPool
    private var health = BackendHealth()
    private let log: TerminalLog
    private let tag: () -> [UInt8]

    init(pool: BackendPool, log: TerminalLog, tag: @escaping () -> [UInt8]) {
        backendPool = pool
        self.log = log
        self.tag = tag
    }

    /// Passes `request` to the backend; the exchange lives as long as the connection holds it.
    func pass(_ request: ProxiedRequest, on connection: HTTPConnection) {
        ProxyExchange(request: request, client: connection, context: self).start()
    }

    func proxyTag() -> [UInt8] { tag() }

    func proxied(_ request: ProxiedRequest, status: Int, note: String?) {
        if status != 502, let event = health.answered(backend: backendPool.target) { log.emit(event) }
        guard log.shows(.debug) else { return }
        log.emit(.request(method: request.method, target: request.head.target, status: status,
                          note: note.map { "backend: " + $0 } ?? "backend"))
    }

    func backendFailed(_ request: ProxiedRequest, reason: String) {
        if let event = health.failed(backend: backendPool.target, reason: reason) { log.emit(event) }
    }
}

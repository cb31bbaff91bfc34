// One request passed to the --proxy backend and its answer passed back: the browser's
// body goes out as it arrives, the answer's head is rewritten (ProxyAnswer), and its
// body is forwarded as read, or decoded and given the client's tag when it is HTML.
//
// Each side is paced by the other: past `pauseAbove` queued bytes the far side stops
// being read until its writes drain below `resumeBelow`, so a 50 MB download or upload
// holds a few hundred KiB here at most. A 101 joins the two into a tunnel.

import CLibUV
import HMRCore

/// What an exchange needs from the daemon.
protocol ProxyContext: AnyObject {
    var backendPool: BackendPool { get }
    /// The client's tag for pages, with the current build in it.
    func proxyTag() -> [UInt8]
    /// The head of an answer went out (or a 502 did): for the --verbose line and the backend's health.
    func proxied(_ request: ProxiedRequest, status: Int, note: String?)
    func backendFailed(_ request: ProxiedRequest, reason: String)
}

final class ProxyExchange: ConnectionPipe, BackendConnectionUser {
    static let pauseAbove = 256 * 1024
    static let resumeBelow = 64 * 1024

    private let request: ProxiedRequest
    private weak var client: HTTPConnection?
    private unowned let context: ProxyContext
    private var backend: BackendConnection?
    private var addressAttempt = 0
    /// The request went out on a kept connection; if that turns out closed, one retry.
    private var reused = false
    private var requestBody: MessageBodyReader
    private var bodyDone: Bool
    /// Body bytes that came before the backend's connection was ready.
    private var waiting: [UInt8] = []
    private var headSent = false
    private var headBuffer: [UInt8] = []
    private var receivedAny = false
    private var answer: ProxyAnswer?
    private var responseBody: MessageBodyReader?
    private var inflater: BodyInflater?
    private var injector: StreamingInjector?
    private var tunnel = false
    private var finished = false
    private var backendPaused = false
    private var clientPaused = false
    private let clientAddress: String?
    /// A long body moving socket to socket (SplicePump).
    private var pump: SplicePump?

    init(request: ProxiedRequest, client: HTTPConnection, context: ProxyContext) {
        self.request = request
        self.client = client
        self.context = context
        clientAddress = client.peerAddress
        requestBody = MessageBodyReader(framing: request.framing.message)
        bodyDone = request.framing.isEmpty
    }

    func start() {
        guard let client else { return }
        client.startProxying(self)
        if request.expectsContinue { client.send(SharedBytes(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))) }
        if let idle = context.backendPool.takeIdle() {
            reused = true
            use(idle)
            sendHead()
        } else {
            use(context.backendPool.connect(attempt: addressAttempt, for: self))
        }
    }

    private func use(_ connection: BackendConnection) {
        connection.user = self
        backend = connection
    }

    private func sendHead() {
        guard let backend else { return }
        headSent = true
        backend.write(SharedBytes(request.backendHead(client: clientAddress)))
        if !waiting.isEmpty {
            backend.write(SharedBytes(waiting))
            waiting = []
        }
        backend.startReading()
        // Paused while connecting: a queued write resumes it when it drains (backendDrained), else now.
        if clientPaused && backend.queuedBytes < ProxyExchange.resumeBelow {
            clientPaused = false
            client?.resumeInput()
        }
    }

    // MARK: the browser's side

    func clientSent(_ bytes: UnsafeRawBufferPointer) -> Int {
        if tunnel {
            backend?.write(SharedBytes(copying: bytes))
            pauseClientIfBackendFull()
            return bytes.count
        }
        guard !bodyDone, !finished else { return 0 }
        let step: BodyStep
        do {
            step = try requestBody.feed(bytes, payload: false)
        } catch {
            // The body's framing broke half way through: neither side can make sense of the rest.
            abandon()
            return bytes.count
        }
        let mine = UnsafeRawBufferPointer(rebasing: bytes[..<step.consumed])
        if headSent {
            backend?.write(SharedBytes(copying: mine))
        } else {
            waiting += mine
            // Until the backend's connection is ready the body waits here, and no more of it than this.
            if waiting.count > ProxyExchange.pauseAbove && !clientPaused {
                clientPaused = true
                client?.pauseInput()
            }
        }
        if step.done { bodyDone = true }
        pauseClientIfBackendFull()
        return step.consumed
    }

    private func pauseClientIfBackendFull() {
        guard let backend, backend.queuedBytes > ProxyExchange.pauseAbove, !clientPaused else { return }
        clientPaused = true
        client?.pauseInput()
    }

    func clientDrained() {
        guard backendPaused, let client, client.writeState.queuedBytes < ProxyExchange.resumeBelow else { return }
        backendPaused = false
        backend?.startReading()
    }

    func clientClosed() {
        pump?.cancel()
        pump = nil
        finished = true
        backend?.close()
        backend = nil
    }

    // MARK: the backend's side

    func backendConnected(_ connection: BackendConnection) {
        context.backendPool.answered(attempt: addressAttempt)
        sendHead()
    }

    func backend(_ connection: BackendConnection, failedToConnect error: UVError) {
        connection.close()
        backend = nil
        if error.code == UV_ECONNREFUSED.rawValue, addressAttempt + 1 < context.backendPool.addressCount {
            addressAttempt += 1
            return use(context.backendPool.connect(attempt: addressAttempt, for: self))
        }
        badGateway(error.code == UV_ECONNREFUSED.rawValue ? "connection refused" : error.message)
    }

    func backendDrained(_ connection: BackendConnection) {
        guard clientPaused, connection.queuedBytes < ProxyExchange.resumeBelow else { return }
        clientPaused = false
        client?.resumeInput()
    }

    func backend(_ connection: BackendConnection, received bytes: UnsafeRawBufferPointer) {
        receivedAny = true
        guard let client, !finished else { return connection.close() }
        if tunnel {
            client.send(SharedBytes(copying: bytes))
            return pauseBackendIfClientFull()
        }
        if answer == nil {
            headBuffer.append(contentsOf: bytes)
            readHeads()
        } else {
            body(bytes)
        }
    }

    /// Reads heads from what came so far: 1xx ones go ahead, the real one sets up the body.
    private func readHeads() {
        guard let client else { return }
        while answer == nil {
            let start: ResponseStart
            let plan: ProxyAnswer
            do {
                guard let read = try ResponseHeadReader.read(headBuffer, maxHeadBytes: ProxyAnswer.maxHeadBytes) else {
                    return
                }
                start = read
                plan = try ProxyAnswer.plan(start, for: request, backend: context.backendPool.target,
                                            tag: context.proxyTag())
            } catch let failure as ProxyFailure {
                return badGateway(failure.message)
            } catch {
                return badGateway("its answer is not HTTP/1.x")
            }
            let rest = Array(headBuffer[start.bodyOffset...])
            headBuffer = []
            if plan.interim {
                if !plan.head.isEmpty { client.send(SharedBytes(plan.head)) }
                headBuffer = rest
                continue
            }
            answer = plan
            client.send(SharedBytes(plan.head))
            context.proxied(request, status: plan.status, note: plan.note)
            if plan.upgrade {
                tunnel = true
                client.becomeTunnel()
                if !rest.isEmpty { client.send(SharedBytes(rest)) }
                return
            }
            responseBody = MessageBodyReader(framing: plan.framing)
            if let injection = plan.injection {
                injector = StreamingInjector(tag: injection.tag)
                inflater = injection.decode.map { BodyInflater(encoding: $0) }
            }
            if plan.framing == .none || plan.framing == .length(0) {
                return finishAnswer(clean: rest.isEmpty)
            }
            if !rest.isEmpty { rest.withUnsafeBytes { body($0) } }
            if !finished, let backend, let left = responseBody?.remainingLength,
               ProxyTurns.splices(output: plan.output, remaining: left, requestBodySent: bodyDone,
                                  queuedToBrowser: client.writeState.queuedBytes, queuedToBackend: backend.queuedBytes) {
                splice(left)
            }
        }
    }

    /// Hands the rest of a long body to a SplicePump (ProxyTurns.splices said it may).
    private func splice(_ count: Int) {
        guard let client, let backend, let from = backend.fileDescriptor, let to = client.fileDescriptor else { return }
        backend.stopReading()
        client.pauseInput()
        let pump = SplicePump(loop: context.backendPool.loop, from: from, to: to, count: count) { [weak self] whole in
            self?.spliced(whole)
        }
        guard let pump else {
            backend.startReading()
            client.resumeInput()
            return
        }
        self.pump = pump
        pump.start()
    }

    private func spliced(_ whole: Bool) {
        pump = nil
        guard whole else {
            context.backendFailed(request, reason: "its answer broke off")
            return abandon()
        }
        responseBody = nil
        finishAnswer(clean: true)
    }

    private func body(_ bytes: UnsafeRawBufferPointer) {
        guard let answer, var reader = responseBody else { return }
        do {
            let step = try reader.feed(bytes, payload: answer.output != .raw)
            responseBody = reader
            if answer.output == .raw {
                client?.send(SharedBytes(copying: UnsafeRawBufferPointer(rebasing: bytes[..<step.consumed])))
            } else {
                try emit(step.payload)
            }
            if step.done { return finishAnswer(clean: step.consumed == bytes.count) }
        } catch {
            // Past the head there is no 502 to give: cutting the connection says the body is not whole.
            context.backendFailed(request, reason: "its answer broke off: \(error)")
            return abandon()
        }
        pauseBackendIfClientFull()
    }

    /// Content of the body: decoded, given the tag, framed for the browser.
    private func emit(_ payload: [UInt8]) throws {
        var content = payload
        if let inflater { content = try inflater.feed(content) }
        if injector != nil { content = injector!.feed(content) }
        send(content)
    }

    private func send(_ content: [UInt8]) {
        guard !content.isEmpty, let client, let answer else { return }
        client.send(SharedBytes(answer.output == .chunked ? ChunkedEncoding.chunk(content) : content))
    }

    private func pauseBackendIfClientFull() {
        guard let client, client.writeState.queuedBytes > ProxyExchange.pauseAbove, !backendPaused else { return }
        backendPaused = true
        backend?.stopReading()
    }

    /// The answer is whole: close its framing, give the backend back or close it, and let
    /// the browser's connection read its next request.
    private func finishAnswer(clean: Bool) {
        guard let answer, let client else { return }
        do {
            try inflater?.finish()
        } catch {
            context.backendFailed(request, reason: "its HTML could not be decoded: \(error)")
            return abandon()
        }
        if injector != nil { send(injector!.finish()) }
        if answer.output == .chunked { client.send(SharedBytes(ChunkedEncoding.last)) }
        finished = true
        if let backend {
            if answer.keepBackend && bodyDone && clean {
                context.backendPool.keep(backend)
            } else {
                backend.close()
            }
        }
        backend = nil
        client.endProxying()
        client.answered(keepAlive: answer.keepClient && bodyDone)
    }

    func backendEnded(_ connection: BackendConnection) {
        guard !finished else { return connection.close() }
        if tunnel {
            finished = true
            connection.close()
            backend = nil
            client?.endProxying()
            client?.finish()
            return
        }
        switch ProxyTurns.backendEnded(answer: answer?.framing, reusedConnection: reused, receivedAny: receivedAny,
                                       requestBody: request.framing) {
        case .retry:
            connection.close()
            reused = false
            headSent = false
            use(context.backendPool.connect(attempt: addressAttempt, for: self))
        case .badGateway(let reason):
            connection.close()
            backend = nil
            badGateway(reason)
        case .finish:
            finishAnswer(clean: false)
        case .cut(let reason):
            context.backendFailed(request, reason: reason)
            abandon()
        }
    }

    /// 502 while nothing of the answer has gone out; else the only honest end is to cut.
    private func badGateway(_ reason: String) {
        guard let client, !finished else { return }
        context.backendFailed(request, reason: reason)
        guard answer == nil else { return abandon() }
        finished = true
        backend?.close()
        backend = nil
        let bytes = BackendDown.answer(for: request, backend: context.backendPool.target, reason: reason)
        context.proxied(request, status: 502, note: reason)
        client.endProxying()
        client.sendAndClose(SharedBytes(bytes))
    }

    private func abandon() {
        pump?.cancel()
        pump = nil
        finished = true
        backend?.close()
        backend = nil
        client?.endProxying()
        client?.close()
    }
}

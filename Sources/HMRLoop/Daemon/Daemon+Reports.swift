// Pages report back (POST P/report): the body goes to the core's ReportDesk, which
// answers and says what the terminal shows; a timer comes by when the desk has a
// build's line or a silent page to close.

import HMRCore

extension Daemon {
    func receiveReport(_ request: AllowedRequest, _ body: [UInt8]) -> Answer {
        let verdict = reports.receive(body, now: loop.now)
        pagesSaid(verdict.said)
        return router.report(request, verdict)
    }

    func reportsTick() {
        pagesSaid(reports.tick(now: loop.now) + ghosts.tick(now: loop.now))
    }

    /// A ghost sync action: sent on to every stream as a `ghost` frame (SyncDesk).
    func receiveGhost(_ request: AllowedRequest, _ body: [UInt8]) -> Answer {
        let verdict = ghosts.receive(body, now: loop.now)
        if let frame = verdict.frame { hub.sendGhost(frame) }
        pagesSaid([])
        return router.sync(request, verdict)
    }

    /// Logs what the desk said and sets the timer for its next deadline.
    func pagesSaid(_ said: [LogEvent]) {
        for event in said { log.emit(event) }
        if let deadline = [reports.nextDeadline, ghosts.nextDeadline].compactMap({ $0 }).min() {
            reportTimer.start(after: max(0, deadline - loop.now))
        } else {
            reportTimer.stop()
        }
    }
}

// `hmrd wait --applied`, once the build is out: whether every open page shows it, by
// the daemon's list of pages (`/status` `pages`). A page that failed to apply it ends
// the wait at once; a page following another bundle (`?name=`) is not waited for.

public enum AppliedCheck {
    public enum Verdict: Sendable, Equatable {
        /// Every page that should show the build does (`count` of them).
        case applied(count: Int)
        case failed([PageTable.Page])
        case waiting(for: [PageTable.Page])
    }

    /// After build `built` finished, by the daemon's status: a build published since is
    /// what the pages apply next, so it counts in its place.
    public static func verdict(_ status: StatusReport, built: String) -> Verdict {
        verdict(pages: status.pages, hash: status.hash.isEmpty ? built : status.hash, daemonName: status.name)
    }

    public static func verdict(pages: [PageTable.Page], hash: String, daemonName: String) -> Verdict {
        let concerned = pages.filter { $0.name == nil || $0.name == daemonName }
        let failed = concerned.filter { $0.last?.outcome == .failed && $0.last?.hash == hash && $0.hash != hash }
        if !failed.isEmpty { return .failed(failed) }
        let pending = concerned.filter { $0.hash != hash }
        return pending.isEmpty ? .applied(count: concerned.count) : .waiting(for: pending)
    }

    /// One line per page for the terminal: its URL and what it last said.
    public static func describe(_ page: PageTable.Page) -> String {
        var line = TerminalText.safe(page.url)
        if page.reloadingSince != nil {
            line += ": reloading"
        } else if let last = page.last {
            line += ": \(last.outcome.rawValue) \(last.hash)"
            if let error = last.error, let first = error.split(whereSeparator: \.isNewline).first {
                line += ": " + TerminalText.safe(String(first))
            }
        } else {
            line += ": no outcome reported yet"
        }
        return line
    }
}

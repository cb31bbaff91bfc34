// What `hmrd status` prints for a person: the status report as aligned lines.
//
//     url:        http://127.0.0.1:5757 (stream /__hmr)
//     state:      idle
//     hash:       3c51f0a9d2e4b718
//     last build: ok in 12ms (exit code 0); 4 builds so far
//     clients:    2
//     uptime:     1h 2m 3s
//     version:    0.3.0
//     pages:      2
//       http://127.0.0.1:5757/: applied 3c51f0a9d2e4b718 in 8 ms
//       http://127.0.0.1:5757/about.html: failed 3c51f0a9d2e4b718: TypeError: x is undefined

public enum StatusSummary {
    public static func text(_ report: StatusReport, url: String, streamPath: String) -> String {
        var rows: [(String, String)] = [("url", "\(url) (stream \(streamPath))"),
                                        ("state", report.building ? "building" : "idle")]
        if !report.name.isEmpty { rows.append(("name", report.name)) }
        rows.append(("hash", report.hash.isEmpty ? "none yet" : report.hash))
        rows.append(("last build", lastBuild(report)))
        rows.append(("clients", String(report.clients)))
        rows.append(("uptime", uptime(milliseconds: report.uptimeMs)))
        rows.append(("version", report.version))
        let width = rows.map(\.0.count).max()! + 2
        let lines = rows.map { label, value in
            // A name or hash from the network is shown, never interpreted by the terminal.
            label + ":" + String(repeating: " ", count: width - label.count - 1) + TerminalText.safe(value) + "\n"
        }
        // Pages last: they are the list that grows.
        let pageRows = ["pages:" + String(repeating: " ", count: width - 6) + String(report.pages.count) + "\n"]
            + report.pages.map { "  " + page($0) + "\n" }
        return (lines + pageRows).joined()
    }

    /// A page's URL and what it last said.
    static func page(_ page: PageTable.Page) -> String {
        var line = AppliedCheck.describe(page)
        if let ms = page.last?.ms, page.last?.outcome != .failed { line += " in \(Int(ms.rounded())) ms" }
        return line
    }

    static func lastBuild(_ r: StatusReport) -> String {
        guard r.buildCount > 0, let ok = r.lastBuildOK else { return "none yet" }
        var text = ok ? "ok" : "failed"
        if let ms = r.lastBuildMs { text += " in \(ms)ms" }
        if let code = r.lastExitCode { text += " (exit code \(code))" }
        return text + "; " + TerminalText.count(r.buildCount, "build") + " so far"
    }

    /// "45s", "2m 5s", "1h 2m 3s", "3d 4h 5m": the two or three units that matter.
    public static func uptime(milliseconds: Int) -> String {
        let s = max(0, milliseconds) / 1_000
        let (d, h, m, sec) = (s / 86_400, s / 3_600 % 24, s / 60 % 60, s % 60)
        if d > 0 { return "\(d)d \(h)h \(m)m" }
        if h > 0 { return "\(h)h \(m)m \(sec)s" }
        if m > 0 { return "\(m)m \(sec)s" }
        return "\(sec)s"
    }
}

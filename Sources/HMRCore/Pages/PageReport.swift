// One report a page posts to `P/report`, parsed from its JSON body: the page is open
// (`hello`, sent again now and then so hmrd knows it still is), it left (`bye`), what
// it did with a build (`outcome`), or an error it did not catch (`error`). Anything
// else is a 400 that says what was wrong. Strings are bounded here, so one page
// cannot make hmrd hold or print more than a few KiB; escaping them is the log's.

public struct PageReport: Sendable, Equatable {
    public enum Outcome: String, Sendable, CaseIterable {
        case applied, reloaded, failed, unchanged

        /// The page shows the build afterwards.
        public var isCurrent: Bool { self != .failed }
    }

    public enum Kind: Sendable, Equatable {
        /// `hash`: the build the page shows; `name`: its `?name=` filter; `previous`: the
        /// page it reloaded from (that page's id), whose place it takes.
        case hello(hash: String?, name: String?, previous: String?)
        /// `reloading`: it leaves to come back as a new page (which says `previous`).
        case bye(reloading: Bool)
        /// `ms`: from the build's frame reaching the page to the change applied.
        case outcome(Outcome, hash: String, ms: Double?, error: String?)
        /// An uncaught error, or an unhandled rejection (`rejection`).
        case error(rejection: Bool, message: String, stack: String?)
    }

    /// Chosen by the page for this load of it: letters, digits, `-` and `_`.
    public var page: String
    public var url: String
    public var kind: Kind

    public init(page: String, url: String, kind: Kind) {
        self.page = page
        self.url = url
        self.kind = kind
    }

    public static let maxURLBytes = 2048
    public static let maxMessageBytes = 4096
    public static let maxStackBytes = 8192
    static let maxIDBytes = 64

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public static func parse(_ body: [UInt8]) -> Result<PageReport, Problem> {
        guard let text = String(validating: body, as: UTF8.self) else { return .failure(Problem("the body is not UTF-8")) }
        let json: JSONValue
        do {
            json = try JSONValue.parse(text)
        } catch {
            return .failure(Problem("the body is not JSON: \(error)"))
        }
        guard case .object = json else { return .failure(Problem("the body is not a JSON object")) }
        guard let page = json["page"]?.string, isPageID(page) else {
            return .failure(Problem("`page` must be 1 to \(maxIDBytes) letters, digits, - or _"))
        }
        guard let url = json["url"]?.string else { return .failure(Problem("`url` must be a string")) }
        let report: (Kind) -> Result<PageReport, Problem> = {
            .success(PageReport(page: page, url: bounded(url, maxURLBytes), kind: $0))
        }
        switch json["type"]?.string {
        case "hello":
            return report(.hello(hash: optionalHash(json["hash"]), name: json["name"]?.string.map { bounded($0, 256) },
                                 previous: json["previous"]?.string.flatMap { isPageID($0) ? $0 : nil }))
        case "bye":
            return report(.bye(reloading: json["reloading"]?.bool ?? false))
        case "outcome":
            guard let raw = json["outcome"]?.string, let outcome = Outcome(rawValue: raw) else {
                return .failure(Problem("`outcome` must be one of " + Outcome.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            guard let hash = optionalHash(json["hash"]) else { return .failure(Problem("`hash` must name a build")) }
            let ms = json["ms"]?.number.flatMap { $0.isFinite && $0 >= 0 ? min($0, 86_400_000) : nil }
            return report(.outcome(outcome, hash: hash, ms: ms, error: json["error"]?.string.map { bounded($0, maxStackBytes) }))
        case "error":
            let message = json["message"]?.string ?? ""
            return report(.error(rejection: json["kind"]?.string == "rejection", message: bounded(message, maxMessageBytes),
                                 stack: json["stack"]?.string.map { bounded($0, maxStackBytes) }))
        default:
            return .failure(Problem("`type` must be hello, bye, outcome or error"))
        }
    }

    static func isPageID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maxIDBytes && id.utf8.allSatisfy { ASCII.isAlphanumeric($0) || $0 == 45 || $0 == 95 }
    }

    /// A build hash is hex; anything else names no build hmrd made.
    static func optionalHash(_ value: JSONValue?) -> String? {
        guard let hash = value?.string, !hash.isEmpty, hash.utf8.count <= 64,
              hash.utf8.allSatisfy({ ASCII.isHexDigit($0) }) else { return nil }
        return hash
    }

    /// At most `limit` bytes, cut at a character boundary, marked when cut.
    static func bounded(_ text: String, _ limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var cut = ""
        var used = 0
        for character in text {
            used += character.utf8.count
            if used > limit - 3 { break }
            cut.append(character)
        }
        return cut + "…"
    }
}

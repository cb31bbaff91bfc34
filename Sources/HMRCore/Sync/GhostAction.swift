// One interaction a page posts to `P/sync` with --sync (ghost sync): a scroll, a click,
// text typed, a box checked, an option chosen, a form sent, or another page of the
// site opened. It is parsed and bounded here, and written out anew as the `ghost`
// frame the other pages get: nothing a page sent reaches them but these fields.

public struct GhostAction: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The page's scroll position as a share of how far it can scroll, 0...1 each.
        case scroll(x: Double, y: Double)
        case click(target: String)
        /// A text field's whole value.
        case input(target: String, value: String)
        /// A checkbox or radio button.
        case check(target: String, checked: Bool)
        /// A select's chosen values.
        case select(target: String, values: [String])
        case submit(target: String)
        /// Another page of the site, as a path with its query (no scheme or host).
        case navigate(to: String)
    }

    /// The page that did it (its report id): it ignores its own.
    public var page: String
    public var kind: Kind
    /// Where the page is, for the terminal (not sent on).
    public var url: String

    public init(page: String, kind: Kind, url: String = "") {
        self.page = page
        self.kind = kind
        self.url = url
    }

    /// An element's path (GhostPath in the client) is short; a value is what a field holds.
    public static let maxTargetBytes = 1024
    public static let maxValueBytes = 16 * 1024
    static let maxValues = 256

    public static func parse(_ body: [UInt8]) -> Result<GhostAction, PageReport.Problem> {
        guard let text = String(validating: body, as: UTF8.self) else { return .failure(.init("the body is not UTF-8")) }
        let json: JSONValue
        do {
            json = try JSONValue.parse(text)
        } catch {
            return .failure(.init("the body is not JSON: \(error)"))
        }
        guard case .object = json else { return .failure(.init("the body is not a JSON object")) }
        guard let page = json["page"]?.string, PageReport.isPageID(page) else {
            return .failure(.init("`page` must be 1 to \(PageReport.maxIDBytes) letters, digits, - or _"))
        }
        let url = PageReport.bounded(json["url"]?.string ?? "", PageReport.maxURLBytes)
        let target = json["target"]?.string.flatMap { !$0.isEmpty && $0.utf8.count <= maxTargetBytes ? $0 : nil }
        let needsTarget = { (make: (String) -> Kind) -> Result<GhostAction, PageReport.Problem> in
            guard let target else { return .failure(.init("`target` must be an element's path of 1 to \(maxTargetBytes) bytes")) }
            return .success(GhostAction(page: page, kind: make(target), url: url))
        }
        switch json["kind"]?.string {
        case "scroll":
            guard let x = share(json["x"]), let y = share(json["y"]) else {
                return .failure(.init("`x` and `y` must be numbers from 0 to 1"))
            }
            return .success(GhostAction(page: page, kind: .scroll(x: x, y: y), url: url))
        case "click":
            return needsTarget { .click(target: $0) }
        case "input":
            guard let value = json["value"]?.string, value.utf8.count <= maxValueBytes else {
                return .failure(.init("`value` must be a string of at most \(maxValueBytes) bytes"))
            }
            return needsTarget { .input(target: $0, value: value) }
        case "check":
            guard let checked = json["checked"]?.bool else { return .failure(.init("`checked` must be true or false")) }
            return needsTarget { .check(target: $0, checked: checked) }
        case "select":
            guard let values = json["values"]?.array?.compactMap(\.string), values.count <= maxValues,
                  values.allSatisfy({ $0.utf8.count <= maxValueBytes }) else {
                return .failure(.init("`values` must be a list of at most \(maxValues) strings"))
            }
            return needsTarget { .select(target: $0, values: values) }
        case "submit":
            return needsTarget { .submit(target: $0) }
        case "navigate":
            guard let to = json["to"]?.string, isSitePath(to) else {
                return .failure(.init("`to` must be a path of the site, starting with one /"))
            }
            return .success(GhostAction(page: page, kind: .navigate(to: to), url: url))
        default:
            return .failure(.init("`kind` must be scroll, click, input, check, select, submit or navigate"))
        }
    }

    /// The `ghost` frame's JSON: `{"action":"ghost","from":…,"kind":…, …}`.
    public var frameJSON: String {
        var w = JSONWriter()
        w.beginObject()
        w.key("action"); w.string("ghost")
        w.key("from"); w.string(page)
        switch kind {
        case .scroll(let x, let y):
            w.key("kind"); w.string("scroll")
            w.key("x"); w.fraction(x)
            w.key("y"); w.fraction(y)
        case .click(let target):
            w.key("kind"); w.string("click")
            w.key("target"); w.string(target)
        case .input(let target, let value):
            w.key("kind"); w.string("input")
            w.key("target"); w.string(target)
            w.key("value"); w.string(value)
        case .check(let target, let checked):
            w.key("kind"); w.string("check")
            w.key("target"); w.string(target)
            w.key("checked"); w.bool(checked)
        case .select(let target, let values):
            w.key("kind"); w.string("select")
            w.key("target"); w.string(target)
            w.key("values"); w.stringArray(values)
        case .submit(let target):
            w.key("kind"); w.string("submit")
            w.key("target"); w.string(target)
        case .navigate(let to):
            w.key("kind"); w.string("navigate")
            w.key("to"); w.string(to)
        }
        w.endObject()
        return w.text
    }

    static func share(_ value: JSONValue?) -> Double? {
        guard let number = value?.number, number.isFinite, number >= 0, number <= 1 else { return nil }
        return number
    }

    /// `/path?query#fragment`, not `//host/…` (another site), at most 2 KiB, no controls.
    static func isSitePath(_ text: String) -> Bool {
        text.hasPrefix("/") && !text.hasPrefix("//") && !text.hasPrefix("/\\") && text.utf8.count <= PageReport.maxURLBytes
            && !text.utf8.contains { ASCII.isControl($0) }
    }
}

// The Host header allow-list, hmrd's defence against DNS rebinding.
//
// A hostile page can point its own domain at 127.0.0.1 and then read from
// hmrd as same-origin; the browser still sends that domain in Host, so only
// names that really mean this machine, or that the user listed, are served.

struct HostAllowList: Sendable {
    /// One `--allow-host` entry.
    enum Entry: Sendable, Equatable {
        /// `*`: every syntactically valid host.
        case any
        /// `*.example.com`: any subdomain of the suffix, not the suffix itself.
        case subdomains(of: String, port: String?)
        /// An exact name; a nil port matches any port.
        case exact(String, port: String?)
    }

    let listenHost: String
    let entries: [Entry]

    init(listenHost: String, extraHosts: [String]) {
        self.listenHost = Self.bracketed(ASCII.lowercased(listenHost))
        self.entries = extraHosts.compactMap(Self.entry)
    }

    func allows(_ authority: Authority) -> Bool {
        authority.isLoopback || authority.host == listenHost || entries.contains { entry in
            switch entry {
            case .any:
                return true
            case .exact(let host, let port):
                return authority.host == host && (port == nil || port == authority.port)
            case .subdomains(let suffix, let port):
                return authority.host.hasSuffix("." + suffix) && (port == nil || port == authority.port)
            }
        }
    }

    /// IPv6 literals are written bare on the command line (`--host ::1`) but
    /// bracketed in Host headers.
    static func bracketed(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[" + host + "]" : host
    }

    /// Parses an entry; one that could never match a valid Host is dropped.
    static func entry(_ text: String) -> Entry? {
        if text == "*" { return .any }
        let wildcard = text.hasPrefix("*.")
        let rest = wildcard ? String(text.dropFirst(2)) : text
        // A bare IPv6 literal has several colons and no port.
        let hostText = rest.filter({ $0 == ":" }).count > 1 ? bracketed(rest) : rest
        guard let authority = Authority(parsing: hostText[...]) else { return nil }
        return wildcard ? .subdomains(of: authority.host, port: authority.port)
            : .exact(authority.host, port: authority.port)
    }
}

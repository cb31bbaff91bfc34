// `host[:port]` as found in a Host header or an Origin, parsed strictly.
//
// The host is either a registered name made of letters, digits, `-`, `_` and
// non-empty dot-separated labels, or a bracketed IPv6 literal. Anything else
// (userinfo, paths, spaces, a trailing dot) is not an authority hmrd accepts,
// which keeps the allow-list comparisons plain string equality.

struct Authority: Sendable, Equatable {
    /// Lowercased; IPv6 literals keep their brackets (`[::1]`).
    var host: String
    /// Decimal digits, nil when no port was given.
    var port: String?

    init(host: String, port: String?) {
        self.host = host
        self.port = port
    }

    init?(parsing text: Substring) {
        let lower = ASCII.lowercased(String(text))[...]
        let hostEnd: String.Index
        if lower.hasPrefix("[") {
            guard let close = lower.firstIndex(of: "]") else { return nil }
            hostEnd = lower.index(after: close)
            let inner = lower[lower.index(after: lower.startIndex)..<close]
            guard !inner.isEmpty, inner.utf8.allSatisfy(Self.isIPLiteralByte) else { return nil }
        } else {
            hostEnd = lower.firstIndex(of: ":") ?? lower.endIndex
            guard Self.isRegisteredName(lower[..<hostEnd]) else { return nil }
        }
        host = String(lower[..<hostEnd])
        let rest = lower[hostEnd...]
        if rest.isEmpty {
            port = nil
        } else {
            let digits = rest.dropFirst()
            guard rest.first == ":", !digits.isEmpty, digits.utf8.allSatisfy(ASCII.isDigit) else { return nil }
            port = String(digits)
        }
    }

    static func isRegisteredName(_ name: Substring) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.allSatisfy { byte in
                ASCII.isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
        }
    }

    static func isIPLiteralByte(_ byte: UInt8) -> Bool {
        PercentDecoding.hexValue(byte) != nil || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
    }

    /// The names that always mean this machine: `localhost`, its subdomains
    /// (RFC 6761 reserves them for loopback), and the loopback addresses.
    var isLoopback: Bool {
        host == "localhost" || host.hasSuffix(".localhost") || host == "127.0.0.1" || host == "[::1]"
    }
}

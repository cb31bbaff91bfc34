// The request-target check every route goes through, and the clean path it
// yields.
//
// Only origin-form (`/path?query`) is accepted: hmrd is not a proxy, so
// absolute-form, authority-form and `*` are refused. The path is decoded once
// and refused if the decoded form could mean something different to a file
// system than it does to a URL (backslashes, control bytes, `..`), so routes
// and static serving never have to think about encodings.

struct RequestTarget: Sendable, Equatable {
    /// Percent-decoded, with empty and `.` segments removed; starts with "/".
    /// A trailing slash is kept, as it distinguishes a directory URL.
    var path: String
    /// The path part of the target, still encoded.
    var rawPath: String
    /// The raw query after "?", nil if there was no "?".
    var query: String?

    /// Why a target was refused; each maps to a 400 message.
    enum Problem: String, Error, Sendable, Equatable {
        case notOriginForm = "request target must start with /"
        case invalidByte = "request target contains an invalid character"
        case fragment = "request target contains a fragment"
        case backslash = "path contains a backslash"
        case badEscape = "invalid percent-encoding in path"
        case controlByte = "path contains a control character"
        case notUTF8 = "path is not valid utf-8"
        case dotDot = "path contains a .. segment"
    }

    static func parse(_ target: String) -> Result<RequestTarget, Problem> {
        let bytes = Array(target.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return .failure(.notOriginForm) }
        // The parser already enforces this; checked again so the policy holds
        // for heads that did not come from it.
        guard bytes.allSatisfy(ASCII.isVisible) else { return .failure(.invalidByte) }
        guard !bytes.contains(UInt8(ascii: "#")) else { return .failure(.fragment) }
        let pathEnd = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.endIndex
        let rawPath = bytes[..<pathEnd]
        guard let decoded = PercentDecoding.decode(rawPath) else { return .failure(.badEscape) }
        // Checking the decoded form covers the raw one, as decoding only adds bytes.
        guard !decoded.contains(UInt8(ascii: "\\")) else { return .failure(.backslash) }
        guard !decoded.contains(where: ASCII.isControl) else { return .failure(.controlByte) }
        let path = String(decoding: decoded, as: UTF8.self)
        // Lossy decoding replaced any invalid sequence, so a changed byte
        // sequence means the input was not UTF-8.
        guard path.utf8.elementsEqual(decoded) else { return .failure(.notUTF8) }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains("..") else { return .failure(.dotDot) }
        let query = pathEnd == bytes.endIndex ? nil : String(decoding: bytes[(pathEnd + 1)...], as: UTF8.self)
        return .success(RequestTarget(path: normalize(segments),
                                      rawPath: String(decoding: rawPath, as: UTF8.self),
                                      query: query))
    }

    /// Joins the segments that name something, so `//a/./b` becomes `/a/b`.
    static func normalize(_ segments: [Substring]) -> String {
        let kept = segments.filter { !$0.isEmpty && $0 != "." }
        let directory = segments.last == "" || segments.last == "."
        let joined = "/" + kept.joined(separator: "/")
        return directory && !kept.isEmpty ? joined + "/" : joined
    }
}

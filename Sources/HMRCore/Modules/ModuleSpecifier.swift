// One import specifier, resolved the way a browser resolves it and hmrd's server then
// reads the request path (RequestTarget), to the module-map key it names; and how it
// is written with a version. Only `./`, `../` and `/` specifiers name out-dir files:
// bare names go through an import map and full URLs to another origin, so both are
// left alone, as is anything the browser and the server could read differently.

public enum ModuleSpecifier {
    /// The key that `specifier`, imported by the module at `importer`, names; nil when it
    /// names none. Modules are served at `urlPrefix + key`; `urlPrefix` starts and ends
    /// with "/" and is compared as the server sees paths, decoded.
    public static func resolve(_ specifier: String, importer: String, urlPrefix: String) -> String? {
        Resolver(importer: importer, urlPrefix: urlPrefix).resolve(specifier)
    }

    /// Resolves the specifiers of one module, working out its folder and the prefix once.
    struct Resolver {
        let prefix: ServedPath
        let folder: ServedPath

        init(importer: String, urlPrefix: String) {
            prefix = ServedPath(prefix: urlPrefix)
            folder = ServedPath(folderOf: importer, under: prefix)
        }

        func resolve(_ specifier: String) -> String? {
            var specifier = specifier
            return specifier.withUTF8 { ModuleSpecifier.resolve($0, folder: folder, prefix: prefix) }
        }
    }

    /// The specifier as written plus the version, as a query the server ignores; nil for
    /// a specifier with a fragment, where `?v=` would land inside the fragment.
    public static func versioned(_ specifier: String, version: String) -> String? {
        if specifier.utf8.contains(UInt8(ascii: "#")) { return nil }
        return specifier + (specifier.utf8.contains(UInt8(ascii: "?")) ? "&v=" : "?v=") + version
    }

    private static let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")

    private static func resolve(_ text: UnsafeBufferPointer<UInt8>, folder: ServedPath, prefix: ServedPath) -> String? {
        guard isUnambiguous(text) else { return nil }
        let pathEnd = text.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? text.endIndex
        let leadingDots = text[..<pathEnd].prefix { $0 == dot }.count
        var path: ServedPath
        var segmentStart: Int
        if pathEnd >= 2, text[0] == slash, text[1] == slash {
            return nil
        } else if pathEnd >= 1, text[0] == slash {
            path = ServedPath()
            segmentStart = 1
        } else if (1...2).contains(leadingDots), leadingDots < pathEnd, text[leadingDots] == slash {
            path = folder
            segmentStart = 0
        } else {
            return nil
        }
        // The browser's steps: `.` and `..` (also written `%2e`) are resolved on the encoded
        // path, and empty segments are kept, so `..` pops them as it does.
        while true {
            let segmentEnd = text[segmentStart..<pathEnd].firstIndex(of: slash) ?? pathEnd
            let isLast = segmentEnd == pathEnd
            let segment = UnsafeBufferPointer(rebasing: text[segmentStart..<segmentEnd])
            switch dots(in: segment) {
            case 2:
                guard path.pop(), !isLast else { return nil }
            case 1:
                guard !isLast else { return nil }
            default:
                guard !(isLast && segment.isEmpty) else { return nil }
                path.push(segment)
            }
            if isLast { break }
            segmentStart = segmentEnd + 1
        }
        return path.key(under: prefix)
    }

    /// A backslash may be a JS escape (the lexer leaves escapes undecoded) or a URL slash;
    /// the browser strips tabs and line breaks, and a trailing space, before parsing.
    /// Resolving any of those ourselves would be a guess, so they name nothing.
    private static func isUnambiguous(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        !text.contains { $0 == UInt8(ascii: "\\") || ASCII.isControl($0) } && text.last != UInt8(ascii: " ")
    }

    /// 1 for a `.` segment, 2 for `..`, in any mix of `.` and `%2e`; else 0.
    private static func dots(in segment: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0, count = 0
        while i < segment.count {
            if segment[i] == dot {
                i += 1
            } else if i + 2 < segment.count, segment[i] == UInt8(ascii: "%"), segment[i + 1] == UInt8(ascii: "2"),
                      segment[i + 2] | 0x20 == UInt8(ascii: "e") {
                i += 3
            } else {
                return 0
            }
            count += 1
        }
        return count <= 2 ? count : 0
    }
}

// Puts the client's <script> tag into served HTML.
//
// It goes just before the last `</body>` so it runs after the page's own
// content; failing that before `</html>`, failing that at the end, since
// browsers run a trailing script in any document. It works on bytes with an
// ASCII-only case fold, so pages in any encoding pass through unchanged.

public enum HTMLInjector {
    /// Inserts `tag` just before the last `</body>` (case-insensitive); if
    /// there is none, before the last `</html>`; if neither, appends it.
    public static func inject(_ tag: [UInt8], into html: [UInt8]) -> [UInt8] {
        let index = lastIndex(of: Array("</body>".utf8), in: html)
            ?? lastIndex(of: Array("</html>".utf8), in: html)
            ?? html.endIndex
        var result = html
        result.insert(contentsOf: tag, at: index)
        return result
    }

    /// Where the last case-insensitive match of `needle` (lowercase) starts.
    static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in stride(from: haystack.count - needle.count, through: 0, by: -1) {
            var matched = true
            for offset in needle.indices where ASCII.lowercased(haystack[start + offset]) != needle[offset] {
                matched = false
                break
            }
            if matched { return start }
        }
        return nil
    }
}

// The URL path under which pages load the out dir's modules: a module with key K is
// at prefix + K. Imports are resolved in that space (ModuleSpecifier), and without
// --serve it is where hmrd answers for modules sent to it by nginx (Router).

public enum ModuleURLPrefix {
    /// Under --serve: the out dir's path inside the served folder ("" for the folder
    /// itself); nil when the out dir lies outside it, so --serve never shows its modules.
    public static func served(outInServe relative: String?) -> String? {
        guard let relative else { return nil }
        let trimmed = relative.split(separator: "/").joined(separator: "/")
        return trimmed.isEmpty ? "/" : "/" + trimmed + "/"
    }

    /// Without --serve: --public-path when it is a path on the page's origin; nil for a
    /// full URL (another server has the files, and nginx-config routes nothing to hmrd).
    public static func publicPath(_ publicPath: String) -> String? {
        guard publicPath.hasPrefix("/"), !publicPath.hasPrefix("//") else { return nil }
        return publicPath.hasSuffix("/") ? publicPath : publicPath + "/"
    }
}

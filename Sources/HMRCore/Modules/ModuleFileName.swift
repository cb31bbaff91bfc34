// Which output files are ES modules: the ones whose imports hmrd reads and versions.
// By name alone, as browsers take a module by its MIME type, which hmrd gives by name
// (MIMEType), and the walker must decide before reading a byte.

public enum ModuleFileName {
    /// `.js` and `.mjs`: what tsc, esbuild, swc and hand-written modules end in.
    public static func isModule<Name: Collection<UInt8>>(_ name: Name) -> Bool {
        let dot = UInt8(ascii: "."), j = UInt8(ascii: "j"), s = UInt8(ascii: "s"), m = UInt8(ascii: "m")
        let tail = Array(name.suffix(4))
        guard tail.count >= 3, tail[tail.count - 2] == j, tail[tail.count - 1] == s else { return false }
        if tail[tail.count - 3] == dot { return tail.count > 3 }
        return tail.count == 4 && tail[0] == dot && tail[1] == m
    }

    public static func isModule(_ key: String) -> Bool { isModule(key.utf8) }
}

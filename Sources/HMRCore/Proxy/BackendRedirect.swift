// A redirect the backend sends to its own address (`http://127.0.0.1:8000/login`) would
// take the browser past hmrd; it is pointed back at the address the browser used.

public enum BackendRedirect {
    /// `location` with the backend's origin replaced by `http://` + `host` (the browser's
    /// Host header); any other Location is left as it is.
    public static func rewrite(_ location: String, backend: ProxyTarget, host: String) -> String {
        for origin in origins(of: backend) {
            guard location.utf8.count >= origin.utf8.count,
                  ASCII.equalsIgnoringCase(String(location.prefix(origin.count)), origin) else { continue }
            let rest = location.dropFirst(origin.count)
            guard rest.isEmpty || rest.first == "/" || rest.first == "?" || rest.first == "#" else { continue }
            return "http://" + host + (rest.isEmpty ? "/" : String(rest))
        }
        return location
    }

    /// The backend's origin as it may write it: with and without a default port.
    static func origins(of backend: ProxyTarget) -> [String] {
        backend.port == 80 ? [backend.origin + ":80", backend.origin] : [backend.origin]
    }
}

// The Expect header (RFC 9110 section 10.1.1): a client that sends
// `Expect: 100-continue` waits for a `100 Continue` before sending its body.
// 100-continue is the only expectation defined; hmrd can meet no other.

extension RequestHead {
    /// Whether the client waits for `100 Continue` before its body. Any other
    /// expectation is refused with 417 rather than ignored, since the client
    /// asked for something it would otherwise assume was done.
    public func expectsContinue() throws(RequestError) -> Bool {
        let expectations = values(of: "Expect").flatMap(ASCII.listElements)
        for expectation in expectations where !ASCII.equalsIgnoringCase(String(expectation), "100-continue") {
            throw .unsupportedExpectation(String(expectation))
        }
        // An HTTP/1.0 server knows no 100 status; the RFC says to ignore the
        // expectation there, and the client then sends its body unprompted.
        return !expectations.isEmpty && version == .http11
    }
}

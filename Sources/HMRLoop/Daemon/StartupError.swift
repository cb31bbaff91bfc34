// A failure before the daemon can serve: one line for the user, naming the fix; exit 1.

public struct StartupError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

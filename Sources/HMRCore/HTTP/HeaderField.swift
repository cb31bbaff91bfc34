// One header line, request or response. Names keep the case they were sent or
// written with; lookups fold case (see `RequestHead.value(of:)`).

public struct HeaderField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

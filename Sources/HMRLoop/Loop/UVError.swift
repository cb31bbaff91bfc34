// A libuv error code with libuv's own name and message for it.

import CLibUV

public struct UVError: Error, CustomStringConvertible, Equatable {
    public let code: Int32
    public init(_ code: Int32) { self.code = code }

    public var name: String { String(cString: uv_err_name(code)) }
    public var message: String { String(cString: uv_strerror(code)) }
    public var description: String { "\(message) (\(name))" }

    public static func check(_ result: Int32) throws(UVError) {
        if result < 0 { throw UVError(result) }
    }

    public static let addressInUse = UVError(Int32(UV_EADDRINUSE.rawValue))
    public static let noSpace = UVError(Int32(UV_ENOSPC.rawValue))
    public static let tooManyOpenFiles = UVError(Int32(UV_EMFILE.rawValue))
    public static let notFound = UVError(Int32(UV_ENOENT.rawValue))
    public static let again = UVError(Int32(UV_EAGAIN.rawValue))
}

// The head of a file's answer from --serve, and which of its bytes follow: the whole
// file (200), the one range asked for (206), none past its end (416) or for HEAD.

public enum FileAnswer {
    /// `body` is the bytes to send, as offsets into the file; nil for none.
    public static func head(_ request: AllowedRequest, contentType: String, size: Int, range: ByteRange,
                            extra: [HeaderField] = []) -> (head: [UInt8], status: HTTPStatus, body: ClosedRange<Int>?) {
        let (status, length) = range.answer(size: size)
        guard status != .rangeNotSatisfiable else {
            let head = ResponseHeaders.head(status, contentType: nil, length: length, cache: nil,
                                            corsOrigin: request.corsOrigin, keepAlive: request.keepAlive)
            return (head.encoded(), status, nil)
        }
        let head = ResponseHeaders.head(status, contentType: contentType, length: length, extra: extra,
                                        corsOrigin: request.corsOrigin, keepAlive: request.keepAlive)
        let body: ClosedRange<Int>? = switch range {
        case _ where request.isHead || size == 0: nil
        case .part(let first, let last): first...last
        default: 0...(size - 1)
        }
        return (head.encoded(), status, body)
    }
}

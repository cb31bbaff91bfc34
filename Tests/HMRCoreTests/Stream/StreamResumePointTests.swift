// Where a joining stream resumes from: the header, the query parameter a new
// EventSource uses instead, and which wins.

import XCTest
@testable import HMRCore

final class StreamResumePointTests: XCTestCase {
    func testTheHeaderOrTheQueryNamesTheIDAndTheHeaderWins() {
        let rows: [(header: String?, query: String?, expected: String?, line: UInt)] = [
            (nil, nil, nil, #line),
            ("17", nil, "17", #line),
            (nil, "lastEventId=17", "17", #line),
            (nil, "x=1&lastEventId=1700000000000042&y", "1700000000000042", #line),
            ("18", "lastEventId=17", "18", #line),
            // Present but empty, the header still wins: the browser sent it.
            ("", "lastEventId=17", "", #line),
            (nil, "lastEventId=17&lastEventId=18", "17", #line),
            (nil, "lastEventId=", "", #line),
            (nil, "lastEventId", "", #line),
            (nil, "lasteventid=17&LastEventId=17&last_event_id=17", nil, #line),
            (nil, "", nil, #line),
            (nil, "&&", nil, #line),
            // Taken as it stands: EventHistory knows no such id and the client gets `sync`.
            (nil, "lastEventId=1%37", "1%37", #line),
            (nil, "lastEventId=17=18", "17=18", #line),
            // A ghost sync frame's id: resumed after the kept frame before it.
            ("17.3", nil, "17", #line),
            (nil, "lastEventId=1700000000000042.12", "1700000000000042", #line),
            ("17.", nil, "17.", #line),
            (".3", nil, ".3", #line),
            ("17.3.1", nil, "17.3.1", #line),
            ("17.x", nil, "17.x", #line),
        ]
        for row in rows {
            XCTAssertEqual(StreamResumePoint.lastEventID(header: row.header, query: row.query), row.expected,
                           "header \(row.header ?? "nil"), query \(row.query ?? "nil")", line: row.line)
        }
    }
}

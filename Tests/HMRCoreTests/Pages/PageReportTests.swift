// A page's report from its JSON body: each kind, and every way a body is refused.

import XCTest
@testable import HMRCore

final class PageReportTests: XCTestCase {
    private func parse(_ json: String) -> Result<PageReport, PageReport.Problem> {
        PageReport.parse(Array(json.utf8))
    }

    func testEachKindReadsWithItsFields() {
        XCTAssertEqual(parse(#"{"type":"hello","page":"a-1_B","url":"http://l/","hash":"3c51","name":"app","previous":"z9"}"#),
                       .success(PageReport(page: "a-1_B", url: "http://l/",
                                           kind: .hello(hash: "3c51", name: "app", previous: "z9"))))
        XCTAssertEqual(parse(#"{"type":"bye","page":"p","url":"u","reloading":true}"#),
                       .success(PageReport(page: "p", url: "u", kind: .bye(reloading: true))))
        XCTAssertEqual(parse(#"{"type":"bye","page":"p","url":"u"}"#),
                       .success(PageReport(page: "p", url: "u", kind: .bye(reloading: false))))
        XCTAssertEqual(parse(#"{"type":"outcome","page":"p","url":"u","hash":"ab","outcome":"applied","ms":8.25}"#),
                       .success(PageReport(page: "p", url: "u", kind: .outcome(.applied, hash: "ab", ms: 8.25, error: nil))))
        XCTAssertEqual(parse(#"{"type":"outcome","page":"p","url":"u","hash":"ab","outcome":"failed","error":"TypeError"}"#),
                       .success(PageReport(page: "p", url: "u", kind: .outcome(.failed, hash: "ab", ms: nil, error: "TypeError"))))
        XCTAssertEqual(parse(#"{"type":"error","page":"p","url":"u","kind":"rejection","message":"no","stack":"at f"}"#),
                       .success(PageReport(page: "p", url: "u", kind: .error(rejection: true, message: "no", stack: "at f"))))
    }

    func testWhatIsNotAReportIsRefusedSayingWhy() {
        let rows: [(String, String, UInt)] = [
            ("", "the body is not JSON", #line),
            ("{", "the body is not JSON", #line),
            ("[1]", "the body is not a JSON object", #line),
            (#"{"type":"hello","url":"u"}"#, "`page` must be", #line),
            (#"{"type":"hello","page":"","url":"u"}"#, "`page` must be", #line),
            (#"{"type":"hello","page":"a b","url":"u"}"#, "`page` must be", #line),
            (#"{"type":"hello","page":"\#(String(repeating: "a", count: 65))","url":"u"}"#, "`page` must be", #line),
            (#"{"type":"hello","page":"p"}"#, "`url` must be a string", #line),
            (#"{"type":"wave","page":"p","url":"u"}"#, "`type` must be", #line),
            (#"{"page":"p","url":"u"}"#, "`type` must be", #line),
            (#"{"type":"outcome","page":"p","url":"u","hash":"ab","outcome":"done"}"#, "`outcome` must be one of applied", #line),
            (#"{"type":"outcome","page":"p","url":"u","outcome":"applied"}"#, "`hash` must name a build", #line),
            (#"{"type":"outcome","page":"p","url":"u","hash":"x;y","outcome":"applied"}"#, "`hash` must name a build", #line),
        ]
        for (json, reason, line) in rows {
            guard case .failure(let problem) = parse(json) else { XCTFail("took \(json)", line: line); continue }
            XCTAssertTrue(problem.description.hasPrefix(reason), "\(json): \(problem)", line: line)
        }
        XCTAssertEqual(PageReport.parse([0xFF, 0xFE]), .failure(PageReport.Problem("the body is not UTF-8")))
    }

    func testWhatAPageSaysIsBoundedAndOddNumbersAreLeftOut() {
        let long = String(repeating: "é", count: 5_000)
        guard case .success(let report) = parse(#"{"type":"error","page":"p","url":"\#(long)","message":"\#(long)","stack":"\#(long)\#(long)"}"#),
              case .error(_, let message, let stack) = report.kind else { return XCTFail() }
        XCTAssertLessThanOrEqual(report.url.utf8.count, PageReport.maxURLBytes)
        XCTAssertLessThanOrEqual(message.utf8.count, PageReport.maxMessageBytes)
        XCTAssertLessThanOrEqual(stack!.utf8.count, PageReport.maxStackBytes)
        XCTAssertTrue(message.hasSuffix("…") && message.dropLast().allSatisfy { $0 == "é" }, "cut at a character")
        for ms in ["-1", "1e400", "\"8\""] {
            guard case .success(let r) = parse(#"{"type":"outcome","page":"p","url":"u","hash":"ab","outcome":"applied","ms":\#(ms)}"#),
                  case .outcome(_, _, let read, _) = r.kind else { return XCTFail(ms) }
            XCTAssertNil(read, ms)
        }
        guard case .success(let hello) = parse(#"{"type":"hello","page":"p","url":"u","hash":"zz","previous":"a b"}"#)
        else { return XCTFail() }
        XCTAssertEqual(hello.kind, .hello(hash: nil, name: nil, previous: nil), "no build, and no page, by those names")
    }
}

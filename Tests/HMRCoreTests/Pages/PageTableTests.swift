// The pages that reported in, and each build's line across them: who is waited for,
// when the line is printed, and pages that leave, reload, fall silent or overflow.

import XCTest
@testable import HMRCore

final class PageTableTests: XCTestCase {
    private var table = PageTable(daemonName: "")

    private func say(_ page: String, _ kind: PageReport.Kind, url: String? = nil, at now: Int = 0) -> [LogEvent] {
        table.take(PageReport(page: page, url: url ?? "http://l/\(page)", kind: kind), now: now)
    }

    private func hello(_ page: String, hash: String = "h0", name: String? = nil, previous: String? = nil, at now: Int = 0) {
        XCTAssertEqual(say(page, .hello(hash: hash, name: name, previous: previous), at: now), [])
    }

    func testABuildsLineComesOnceEveryOpenPageHasSaidWhatItDid() {
        hello("a"); hello("b"); hello("c")
        XCTAssertEqual(table.published(hash: "h1", now: 1_000), [])
        XCTAssertEqual(say("a", .outcome(.applied, hash: "h1", ms: 8, error: nil), at: 1_010), [])
        XCTAssertEqual(say("b", .outcome(.applied, hash: "h1", ms: 12.4, error: nil), at: 1_020), [])
        var outcome = PagesOutcome(hash: "h1")
        outcome.applied = 3
        outcome.fastestMs = 8
        outcome.slowestMs = 12.4
        XCTAssertEqual(say("c", .outcome(.applied, hash: "h1", ms: 9, error: nil), at: 1_030), [.pagesOutcome(outcome)])
        XCTAssertEqual(outcome.sentence, "applied on 3 pages in 8–12 ms")
        XCTAssertEqual(table.tick(now: 10_000), [], "printed once")
        XCTAssertEqual(table.open().map(\.hash), ["h1", "h1", "h1"])
    }

    func testAFailureIsSaidAtOnceAndTheLineCountsEveryOutcomeAndTheSilent() {
        for page in ["a", "b", "c", "d", "e"] { hello(page) }
        _ = table.published(hash: "h1", now: 0)
        XCTAssertEqual(say("a", .outcome(.failed, hash: "h1", ms: nil, error: "TypeError: x"), at: 5),
                       [.pageFailed(url: "http://l/a", hash: "h1", error: "TypeError: x")])
        _ = say("b", .outcome(.reloaded, hash: "h1", ms: 300, error: nil))
        _ = say("c", .outcome(.unchanged, hash: "h1", ms: 1, error: nil))
        _ = say("d", .outcome(.applied, hash: "h1", ms: 4, error: nil))
        XCTAssertEqual(table.nextDeadline, PageTable.tallyWindow)
        XCTAssertEqual(table.tick(now: PageTable.tallyWindow - 1), [])
        guard case .pagesOutcome(let outcome) = table.tick(now: PageTable.tallyWindow).first else { return XCTFail() }
        XCTAssertEqual(outcome.sentence, "applied on 1 page in 4 ms; 1 reloaded; 1 failed; 1 unchanged; 1 did not answer")
        XCTAssertEqual(table.open().first { $0.id == "a" }?.hash, "h0", "a failed page still shows the build before")
    }

    func testANewBuildClosesTheLineOfTheOneBefore() {
        hello("a"); hello("b")
        _ = table.published(hash: "h1", now: 0)
        _ = say("a", .outcome(.applied, hash: "h1", ms: 3, error: nil))
        guard case .pagesOutcome(let first) = table.published(hash: "h2", now: 100).first else { return XCTFail() }
        XCTAssertEqual(first.sentence, "applied on 1 page in 3 ms; 1 did not answer")
        XCTAssertEqual(say("b", .outcome(.applied, hash: "h1", ms: 3, error: nil)), [], "late for h1, and not h2's")
    }

    func testPagesOfAnotherBundleOrAlreadyCurrentAreNotWaitedFor() {
        table = PageTable(daemonName: "app")
        hello("a", name: "other"); hello("b", hash: "h1"); hello("c", name: "app")
        _ = table.published(hash: "h1", now: 0)
        guard case .pagesOutcome(let outcome) = say("c", .outcome(.applied, hash: "h1", ms: 2, error: nil)).first
        else { return XCTFail("waited for a page of another bundle or one already current") }
        XCTAssertEqual(outcome.applied, 1)
        var empty = PageTable(daemonName: "")
        XCTAssertEqual(empty.published(hash: "h1", now: 0), [], "no pages, no line")
        XCTAssertNil(empty.nextDeadline)
    }

    func testAPageThatLeavesIsNotWaitedFor() {
        hello("a"); hello("b")
        _ = table.published(hash: "h1", now: 0)
        _ = say("a", .outcome(.applied, hash: "h1", ms: 3, error: nil))
        guard case .pagesOutcome(let outcome) = say("b", .bye(reloading: false)).first else { return XCTFail() }
        XCTAssertEqual(outcome.sentence, "applied on 1 page in 3 ms")
        XCTAssertEqual(table.open().map(\.id), ["a"])
    }

    func testAReloadingPageIsWaitedForInTheShapeOfItsNextLoad() {
        hello("a"); hello("b")
        _ = table.published(hash: "h1", now: 0)
        _ = say("a", .outcome(.applied, hash: "h1", ms: 3, error: nil))
        XCTAssertEqual(say("b", .bye(reloading: true), at: 10), [])
        XCTAssertEqual(table.open().map(\.id), ["a", "b"], "a page on its way back counts")
        XCTAssertNotNil(table.open()[1].reloadingSince)
        hello("b2", hash: "h1", previous: "b", at: 400)
        guard case .pagesOutcome(let outcome) = say("b2", .outcome(.reloaded, hash: "h1", ms: 390, error: nil), at: 401).first
        else { return XCTFail() }
        XCTAssertEqual(outcome.sentence, "applied on 1 page in 3 ms; 1 reloaded")
        XCTAssertEqual(table.open().map(\.id), ["a", "b2"])
    }

    func testAPageNotBackFromItsReloadOrSilentTooLongIsGone() {
        hello("a", at: 0); hello("b", at: 0)
        _ = say("a", .bye(reloading: true), at: 100)
        XCTAssertEqual(table.nextDeadline, 100 + PageTable.reloadGrace)
        _ = table.tick(now: 100 + PageTable.reloadGrace)
        XCTAssertNil(table.pages["a"])
        hello("b", at: 50_000)
        _ = table.tick(now: 50_000 + PageTable.silenceLimit - 1)
        XCTAssertEqual(table.open().map(\.id), ["b"])
        _ = table.tick(now: 50_000 + PageTable.silenceLimit)
        XCTAssertEqual(table.open(), [])
        XCTAssertNil(table.nextDeadline)
    }

    func testErrorsAreSaidWithTheirPageAndTheTableIsBounded() {
        XCTAssertEqual(say("a", .error(rejection: false, message: "boom", stack: "at f"), url: "http://l/x"),
                       [.pageError(url: "http://l/x", rejection: false, message: "boom", stack: "at f")])
        for n in 0..<PageTable.capacity { hello("p\(n)", at: 1 + n) }
        XCTAssertEqual(table.pages.count, PageTable.capacity)
        XCTAssertNil(table.pages["a"], "the page heard from longest ago made room")
        XCTAssertNotNil(table.pages["p0"])
    }
}

import XCTest
@testable import HMRCore

final class PollSnapshotTests: XCTestCase {
    private func at(_ seconds: Int64, _ nanoseconds: Int64 = 0) -> FileTime {
        FileTime(seconds: seconds, nanoseconds: nanoseconds)
    }

    private func file(_ inode: UInt64, size: Int64 = 10, modified: FileTime? = nil) -> PollStamp {
        PollStamp(inode: inode, size: size, modified: modified ?? at(100))
    }

    private func folder(_ inode: UInt64, modified: FileTime? = nil) -> PollStamp {
        PollStamp(isFolder: true, inode: inode, size: 4096, modified: modified ?? at(100))
    }

    private let tree: [String: PollStamp] = [
        "app.css": PollStamp(inode: 1, size: 10, modified: FileTime(seconds: 100, nanoseconds: 0)),
        "js": PollStamp(isFolder: true, inode: 2, size: 4096, modified: FileTime(seconds: 100, nanoseconds: 0)),
        "js/main.js": PollStamp(inode: 3, size: 20, modified: FileTime(seconds: 100, nanoseconds: 0)),
    ]

    func testTheSameTreeHasNoChanges() {
        XCTAssertEqual(PollSnapshot.changedPaths(from: PollSnapshot(entries: tree), to: PollSnapshot(entries: tree)), [])
    }

    func testModifiedAddedAndRemovedFilesAreReportedSortedByBytes() {
        var next = tree
        next["app.css"] = file(1, size: 11, modified: at(101))
        next["js/main.js"] = nil
        next["Zed.txt"] = file(7)
        next["js/b.js"] = file(8)
        XCTAssertEqual(PollSnapshot.changedPaths(from: PollSnapshot(entries: tree), to: PollSnapshot(entries: next)),
                       ["Zed.txt", "app.css", "js/b.js", "js/main.js"])
    }

    func testAChangeInAnyOneFieldIsReported() {
        let base = PollStamp(device: 1, inode: 1, size: 10, modified: at(100, 5), changed: at(100, 5))
        let variants = [
            PollStamp(device: 2, inode: 1, size: 10, modified: at(100, 5), changed: at(100, 5)),
            PollStamp(device: 1, inode: 9, size: 10, modified: at(100, 5), changed: at(100, 5)),
            PollStamp(device: 1, inode: 1, size: 11, modified: at(100, 5), changed: at(100, 5)),
            PollStamp(device: 1, inode: 1, size: 10, modified: at(100, 6), changed: at(100, 5)),
            PollStamp(device: 1, inode: 1, size: 10, modified: at(100, 5), changed: at(100, 6)),
            PollStamp(isFolder: true, device: 1, inode: 1, size: 10, modified: at(100, 5), changed: at(100, 5)),
        ]
        for variant in variants {
            XCTAssertEqual(PollSnapshot.changedPaths(from: PollSnapshot(entries: ["f": base]),
                                                     to: PollSnapshot(entries: ["f": variant])), ["f"], "\(variant)")
        }
    }

    func testAFileReplacedByOneOfTheSameSizeWithANewMtimeIsReported() {
        var next = tree
        next["app.css"] = file(1, size: 10, modified: at(100, 1))
        XCTAssertEqual(PollSnapshot.changedPaths(from: PollSnapshot(entries: tree), to: PollSnapshot(entries: next)),
                       ["app.css"])
        // An atomic save: a new inode of the same size, even with the very same times.
        next["app.css"] = file(42, size: 10, modified: at(100))
        XCTAssertEqual(PollSnapshot.changedPaths(from: PollSnapshot(entries: tree), to: PollSnapshot(entries: next)),
                       ["app.css"])
    }

    func testAFolderWhoseTimesMovedIsNotReportedOnlyWhatChangedInside() {
        var next = tree
        next["js"] = folder(2, modified: at(200))
        next["js/new.js"] = file(9)
        XCTAssertEqual(PollSnapshot.changedPaths(from: PollSnapshot(entries: tree), to: PollSnapshot(entries: next)),
                       ["js/new.js"])
    }

    func testAFolderRemovedWithItsContentsReportsEachPath() {
        var next = tree
        next["js"] = nil
        next["js/main.js"] = nil
        XCTAssertEqual(PollSnapshot.changedPaths(from: PollSnapshot(entries: tree), to: PollSnapshot(entries: next)),
                       ["js", "js/main.js"])
    }

    func testANewFolderWithFilesReportsTheFolderAndTheFiles() {
        var next = tree
        next["css"] = folder(10)
        next["css/deep"] = folder(11)
        next["css/deep/a.css"] = file(12)
        XCTAssertEqual(PollSnapshot.changedPaths(from: PollSnapshot(entries: tree), to: PollSnapshot(entries: next)),
                       ["css", "css/deep", "css/deep/a.css"])
    }

    func testAWatchedRootThatVanishedReportsEverythingRemovedAndItsReturnEverythingAdded() {
        let all = ["app.css", "js", "js/main.js"]
        XCTAssertEqual(PollSnapshot.changedPaths(from: PollSnapshot(entries: tree), to: PollSnapshot()), all)
        XCTAssertEqual(PollSnapshot.changedPaths(from: PollSnapshot(), to: PollSnapshot(entries: tree)), all)
    }

    func testIgnoreRulesTheOutDirAndEditorTempFilesAreLeftOut() {
        let filter = PollFilter(ignore: IgnoreRules(patterns: ["*.log", "gen/**"]), excluded: ["dist"])
        let walked: [(String, PollStamp)] = [
            ("app.css", file(1)), ("debug.log", file(2)), ("logs", folder(3)), ("logs/deep.log", file(4)),
            ("gen", folder(5)), ("gen/x.js", file(6)), ("dist", folder(7)), ("dist/app.css", file(8)),
            ("distant.css", file(9)), (".app.css.swp", file(10)), ("app.css~", file(11)), ("4913", file(12)),
            (".git", folder(13)), (".git/index", file(14)), ("node_modules", folder(15)),
            ("node_modules/x/index.js", file(16)),
        ]
        let snapshot = PollSnapshot(entries: walked, filter: filter)
        // `gen/**` matches what is inside gen, not the folder itself: the inotify watcher reports it too.
        let kept = ["app.css", "distant.css", "gen", "logs"]
        XCTAssertEqual(snapshot.entries.keys.sorted(by: ModuleMap.pathOrder), kept)
        XCTAssertEqual(PollSnapshot.changedPaths(from: PollSnapshot(), to: snapshot), kept)
    }

    func testTheOutDirIsExcludedRelativeToTheRootItLiesIn() {
        let ignore = IgnoreRules(patterns: [])
        let inside = PollFilter(ignore: ignore, root: "/p/src", excludedFolders: ["/p/src/out/js", "/p/dist", "/p/srcx"])
        XCTAssertEqual(inside.excluded, ["out/js"])
        XCTAssertFalse(inside.admits("out/js/a.js"))
        XCTAssertTrue(inside.admits("out/jsx"))
        let whole = PollFilter(ignore: ignore, root: "/p/dist", excludedFolders: ["/p/dist"])
        XCTAssertEqual(whole.excluded, [""])
        XCTAssertFalse(whole.admits("a.css"))
    }

    func testARacyChangeIsHeldBackUntilTheNextWalk() {
        let old = PollSnapshot(entries: tree)
        var walked = tree
        let start = at(500, 10_000_000)
        walked["app.css"] = file(1, size: 0, modified: at(500, 5_000_000))   // truncated 5 ms before the walk
        walked["fresh.css"] = file(20, modified: at(500, 9_000_000))         // created 1 ms before
        walked["old.css"] = file(21, modified: at(400))                      // created long ago, moved in
        let first = old.advanced(to: PollSnapshot(entries: walked), walkStarted: start, racyMargin: 20_000_000)
        XCTAssertEqual(first.changed, ["old.css"])
        XCTAssertEqual(first.snapshot.entries["app.css"], tree["app.css"])
        XCTAssertNil(first.snapshot.entries["fresh.css"])
        // The write finished in the same tick; the next walk, 100 ms on, reports both at last.
        walked["app.css"] = file(1, size: 12, modified: at(500, 5_000_000))
        let second = first.snapshot.advanced(to: PollSnapshot(entries: walked), walkStarted: at(500, 110_000_000),
                                             racyMargin: 20_000_000)
        XCTAssertEqual(second.changed, ["app.css", "fresh.css"])
        XCTAssertEqual(second.snapshot, PollSnapshot(entries: walked))
    }

    func testANewFolderWaitsWithTheRacyFileInsideItAndIsReportedWithIt() {
        let old = PollSnapshot(entries: tree)
        var walked = tree
        walked["sub"] = folder(30, modified: at(500, 9_000_000))
        walked["sub/deep"] = folder(31, modified: at(500, 9_000_000))
        walked["sub/deep/x.css"] = file(32, modified: at(500, 9_000_000))
        walked["sub/settled.css"] = file(33, modified: at(400))
        let first = old.advanced(to: PollSnapshot(entries: walked), walkStarted: at(500, 10_000_000),
                                 racyMargin: 20_000_000)
        XCTAssertEqual(first.changed, ["sub/settled.css"])
        let second = first.snapshot.advanced(to: PollSnapshot(entries: walked), walkStarted: at(500, 110_000_000),
                                             racyMargin: 20_000_000)
        XCTAssertEqual(second.changed, ["sub", "sub/deep", "sub/deep/x.css"])
        // A folder that was already there is not reported for a racy file inside it.
        var edited = walked
        edited["sub/deep/x.css"] = file(32, size: 99, modified: at(600, 9_000_000))
        let third = second.snapshot.advanced(to: PollSnapshot(entries: edited), walkStarted: at(600, 10_000_000),
                                             racyMargin: 20_000_000)
        XCTAssertEqual(third.changed, [])
        XCTAssertEqual(third.snapshot, PollSnapshot(entries: walked))
    }

    func testAnUnchangedFileIsNeverRacyAndAFileDatedFarAheadIsNotHeldForever() {
        let recent = PollSnapshot(entries: ["a": file(1, modified: at(500))])
        let same = recent.advanced(to: recent, walkStarted: at(500), racyMargin: 20_000_000)
        XCTAssertEqual(same.changed, [])
        XCTAssertEqual(same.snapshot, recent)
        let future = PollSnapshot(entries: ["a": file(1, modified: at(32_503_680_000))])
        XCTAssertEqual(recent.advanced(to: future, walkStarted: at(500), racyMargin: 20_000_000).changed, ["a"])
    }

    func testAFolderIsNeverHeldBack() {
        let walked = PollSnapshot(entries: ["sub": folder(3, modified: at(500))])
        XCTAssertEqual(PollSnapshot().advanced(to: walked, walkStarted: at(500), racyMargin: 20_000_000).changed, ["sub"])
    }

    func testFileTimesCompareWithinAMarginWithoutOverflow() {
        XCTAssertTrue(at(10, 999_000_000).isWithin(2_000_000, of: at(11, 500_000)))
        XCTAssertFalse(at(10, 0).isWithin(2_000_000, of: at(10, 3_000_000)))
        XCTAssertFalse(at(Int64.max, 0).isWithin(2_000_000, of: at(Int64.min, 0)))
        XCTAssertLessThan(at(10, 5), at(10, 6))
    }
}

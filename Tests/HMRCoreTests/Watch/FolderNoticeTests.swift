import XCTest
@testable import HMRCore

final class FolderNoticeTests: XCTestCase {
    private func facts(_ kind: FolderNotice.Kind, watch: FolderNotice.Watch = .none,
                       reported: Bool = true) -> FolderNotice.Facts {
        var f = FolderNotice.Facts()
        f.kind = kind
        f.watch = watch
        f.reported = reported
        return f
    }

    func testAChangedOrNewFileIsAChangeToBuildFor() {
        XCTAssertEqual(FolderNotice.actions(facts(.file)), [.report])
    }

    func testAGoneNameIsForgottenWithWhatWasBelowItAndReported() {
        XCTAssertEqual(FolderNotice.actions(facts(.missing)), [.forget, .report])
    }

    func testANewFolderIsWatchedButIsNoChangeByItself() {
        XCTAssertEqual(FolderNotice.actions(facts(.folder)), [.watch])
        XCTAssertEqual(FolderNotice.actions(facts(.folder, watch: .current)), [])
    }

    func testAFolderMadeAgainUnderAWatchedNameIsWatchedAfresh() {
        XCTAssertEqual(FolderNotice.actions(facts(.folder, watch: .stale)), [.forget, .watch])
    }

    func testIgnoredAndOutDirPathsAreNeitherWatchedNorReported() {
        for kind in [FolderNotice.Kind.file, .folder, .missing] {
            XCTAssertEqual(FolderNotice.actions(facts(kind, reported: false)), [], "\(kind)")
        }
    }

    func testTheWatchedFolderGoneEndsItsWatchAndReportsAChildOfItsNameInCase() {
        var gone = facts(.missing)
        gone.namesItsFolder = true
        gone.childExists = false
        XCTAssertEqual(FolderNotice.actions(gone), [.folderGone, .report])
        var replaced = facts(.folder)
        replaced.namesItsFolder = true
        replaced.childExists = true
        replaced.folderStillWatched = false
        XCTAssertEqual(FolderNotice.actions(replaced), [.folderGone])
    }

    func testTheWatchedFoldersOwnAttributesAreNothing() {
        var touched = facts(.missing)
        touched.namesItsFolder = true
        touched.attributesOnly = true
        XCTAssertEqual(FolderNotice.actions(touched), [])
    }

    func testAChildNamedLikeItsFolderIsAnOrdinaryName() {
        var child = facts(.file)
        child.namesItsFolder = true
        child.childExists = true
        XCTAssertEqual(FolderNotice.actions(child), [.report])
    }
}

import XCTest
@testable import HMRCore

final class IgnoreRulesTests: XCTestCase {
    func testVersionControlFoldersAreAlwaysIgnored() {
        let rules = IgnoreRules(patterns: [])
        for path in [".git", ".git/index", "sub/.hg/x", ".svn/entries", "node_modules/pkg/index.js"] {
            XCTAssertTrue(rules.ignores(path), path)
        }
        XCTAssertFalse(rules.ignores("src/git.js"))
    }

    func testEditorTemporaryFilesAreAlwaysIgnored() {
        let rules = IgnoreRules(patterns: [])
        for path in ["a.css.swp", "src/.a.css.swx", "notes.txt~", ".#lock", "4913", "src/4913", "#auto#"] {
            XCTAssertTrue(rules.ignores(path), path)
        }
        for path in ["a.css", "49130", "src/main.swift", "a~b.txt"] {
            XCTAssertFalse(rules.ignores(path), path)
        }
    }

    func testSedInPlaceTemporaryFilesAreIgnoredButWordsStartingWithSedAreNot() {
        let rules = IgnoreRules(patterns: [])
        for path in ["src/sediBAyFa", "sedHL6Jlt", "sed000000"] {
            XCTAssertTrue(rules.ignores(path), path)
        }
        for path in ["sediments", "src/sedatives", "sedABC12", "sedABC1234", "sedAB-123", "xsedABC123"] {
            XCTAssertFalse(rules.ignores(path), path)
        }
    }

    func testUserPatternsApply() {
        let rules = IgnoreRules(patterns: ["*.log", "gen/**"])
        XCTAssertTrue(rules.ignores("x/y.log"))
        XCTAssertTrue(rules.ignores("gen/a/b.js"))
        XCTAssertFalse(rules.ignores("src/gen.js"))
    }
}

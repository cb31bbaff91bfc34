import XCTest
@testable import HMRCore

final class StrayGroupsTests: XCTestCase {
    func testAGroupWithMembersLeftIsRememberedOnceAndAnEmptyOneIsNot() {
        var strays = StrayGroups()
        let alive: Set<Int32> = [100]
        strays.buildEnded(group: 100, isAlive: alive.contains)
        strays.buildEnded(group: 100, isAlive: alive.contains)
        strays.buildEnded(group: 200, isAlive: alive.contains)
        XCTAssertEqual(strays.groups, [100])
    }

    func testGroupsThatEmptiedAreForgottenBeforeTheirNumberComesBack() {
        var strays = StrayGroups()
        strays.buildEnded(group: 100, isAlive: { _ in true })
        strays.buildEnded(group: 300, isAlive: { $0 == 300 })
        XCTAssertEqual(strays.groups, [300])
    }

    func testAtShutdownOnlyGroupsStillAliveAreStoppedAndAllAreForgotten() {
        var strays = StrayGroups()
        strays.buildEnded(group: 100, isAlive: { _ in true })
        strays.buildEnded(group: 200, isAlive: { _ in true })
        XCTAssertEqual(strays.takeForShutdown(isAlive: { $0 == 200 }), [200])
        XCTAssertEqual(strays.groups, [])
    }

    func testNoGroupIsNoStray() {
        var strays = StrayGroups()
        strays.buildEnded(group: 0, isAlive: { _ in true })
        XCTAssertEqual(strays.groups, [])
    }
}

import XCTest
@testable import HMRCore

final class ModuleURLPrefixTests: XCTestCase {
    func testUnderServeTheOutDirsPlaceInTheServedFolderIsThePrefix() {
        XCTAssertEqual(ModuleURLPrefix.served(outInServe: ""), "/")
        XCTAssertEqual(ModuleURLPrefix.served(outInServe: "dist"), "/dist/")
        XCTAssertEqual(ModuleURLPrefix.served(outInServe: "a/b/"), "/a/b/")
        XCTAssertNil(ModuleURLPrefix.served(outInServe: nil), "an out dir outside --serve is not served")
    }

    func testWithoutServeAPathOnlyPublicPathIsThePrefixAndAnotherOriginIsNone() {
        XCTAssertEqual(ModuleURLPrefix.publicPath("/"), "/")
        XCTAssertEqual(ModuleURLPrefix.publicPath("/assets"), "/assets/")
        XCTAssertEqual(ModuleURLPrefix.publicPath("/assets/"), "/assets/")
        XCTAssertNil(ModuleURLPrefix.publicPath("http://cdn.example/assets/"))
        XCTAssertNil(ModuleURLPrefix.publicPath("//cdn.example/assets/"))
    }
}

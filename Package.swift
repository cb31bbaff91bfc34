// swift-tools-version: 6.0
// hmrd: a hot-update daemon. The core target holds every protocol and policy
// decision and cannot import libuv; HMRLoop is the thin libuv layer; hmrd is wiring.
import PackageDescription

let package = Package(
    name: "hmrd",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hmrd", targets: ["hmrd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibUV",
            pkgConfig: "libuv",
            providers: [.apt(["libuv1-dev"])]
        ),
        .systemLibrary(
            name: "CXXHash",
            pkgConfig: "libxxhash",
            providers: [.apt(["libxxhash-dev"])]
        ),
        .target(
            name: "HMRCore",
            dependencies: ["CXXHash"]
        ),
        .target(
            name: "HMRLoop",
            dependencies: ["CLibUV", "CXXHash", "HMRCore"]
        ),
        .executableTarget(
            name: "hmrd",
            dependencies: [
                "HMRCore",
                "HMRLoop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "HMRCoreTests",
            dependencies: ["HMRCore"],
            exclude: []
        ),
    ],
    swiftLanguageModes: [.v6]
)

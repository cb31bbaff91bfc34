// swift-tools-version: 6.0
// hmrd: a hot-update daemon. The core target holds every protocol and policy
// decision and cannot import libuv; HMRLoop is the thin libuv layer; hmrd is wiring.
import PackageDescription

#if canImport(Glibc)
import Glibc
#endif

// The libFuzzer target exists only for scripts/fuzz (HMRD_FUZZ=1): its sanitizer
// flags would break every other build's link.
let fuzzing = getenv("HMRD_FUZZ").map { String(cString: $0) == "1" } ?? false
// Under fuzzing the core is instrumented too, so libFuzzer sees its coverage.
let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]
let fuzzTargets: [Target] = fuzzing ? [
    .target(name: "CFuzzerDriver"),
    .executableTarget(
        name: "HMRFuzz",
        dependencies: ["HMRCore", "CFuzzerDriver"],
        swiftSettings: fuzzFlags,
        linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]
    ),
] : []

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
        // Decodes a proxied backend's gzip and deflate answers (BodyInflater).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "HMRCore",
            dependencies: ["CXXHash", "CZlib"],
            swiftSettings: fuzzing ? fuzzFlags : [],
            plugins: ["EmbedClient"]
        ),
        // Embeds client/hmr-client.js in HMRCore at build time (ClientScriptSource).
        .plugin(
            name: "EmbedClient",
            capability: .buildTool(),
            dependencies: ["EmbedClientTool"],
            path: "Sources/EmbedClient"
        ),
        .executableTarget(name: "EmbedClientTool"),
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
            dependencies: ["HMRCore", "CZlib"],
            exclude: []
        ),
    ] + fuzzTargets,
    swiftLanguageModes: [.v6]
)

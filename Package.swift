// swift-tools-version:6.0
import PackageDescription

/// Settings shared by every Swift target (see ARCHITECTURE.md §2.15).
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .define("ENABLE_MOCKING", .when(configuration: .debug)),
]

let package = Package(
    name: "achievement-events",
    products: [
        .executable(name: "achievement-server", targets: ["achievement-server"]),
        .executable(name: "achievement-client", targets: ["achievement-client"]),
        .executable(name: "achievement-load", targets: ["achievement-load"]),
        .library(name: "AchievementClient", targets: ["Client"]),
    ],
    dependencies: [],
    targets: [
        // C layers.
        .systemLibrary(
            name: "CProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        .target(name: "AchievementProtoC", dependencies: ["CProtobufC"]),
        .systemLibrary(name: "CLinux"),
        .target(name: "CChecksum"),
        .systemLibrary(name: "CCrypt", pkgConfig: "libcrypt", providers: [.apt(["libcrypt-dev"])]),

        // Leaves: no project imports.
        .target(name: "Wire", swiftSettings: swiftSettings),
        .target(name: "Domain", swiftSettings: swiftSettings),
        .target(name: "Posix", dependencies: ["CLinux"], swiftSettings: swiftSettings),
        .target(name: "Log", swiftSettings: swiftSettings),

        // Middle layer.
        .target(name: "Codec", dependencies: ["Wire", "Domain", "CProtobufC", "AchievementProtoC"], swiftSettings: swiftSettings),
        .target(name: "Auth", dependencies: ["Domain", "Posix", "CCrypt"], swiftSettings: swiftSettings),
        .target(name: "CatalogFile", dependencies: ["Domain"], swiftSettings: swiftSettings),
        .target(name: "Store", dependencies: ["Domain", "Posix", "Log", "CChecksum"], swiftSettings: swiftSettings),
        .target(name: "Reactor", dependencies: ["Posix", "CLinux"], swiftSettings: swiftSettings),

        // Upper layers.
        .target(
            name: "Server",
            dependencies: ["Wire", "Codec", "Domain", "Store", "Auth", "Posix", "Log", "Reactor"],
            swiftSettings: swiftSettings
        ),
        .target(name: "Client", dependencies: ["Wire", "Codec", "Domain", "Posix", "Reactor"], swiftSettings: swiftSettings),
        .target(name: "LoadGen", dependencies: ["Client", "Wire", "Domain", "Posix", "Reactor"], swiftSettings: swiftSettings),

        // Executables.
        .executableTarget(
            name: "achievement-server",
            dependencies: ["Server", "Store", "Codec", "CatalogFile", "Log", "Auth", "Domain", "Posix"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "achievement-client",
            dependencies: ["Client", "Codec", "Domain", "Wire", "Posix"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "achievement-load",
            dependencies: ["LoadGen", "Client", "Domain", "Wire", "Posix"],
            swiftSettings: swiftSettings
        ),

        // The store alone under concurrent durable writers (scripts/bench; not a product).
        .executableTarget(
            name: "StoreBench",
            dependencies: ["Store", "Server", "CatalogFile", "Domain"],
            path: "Sources/Bench/StoreBench",
            swiftSettings: swiftSettings
        ),

        // The server's CPU per create on one thread, without sockets (not a product).
        .executableTarget(
            name: "CreateBench",
            dependencies: ["Store", "Server", "CatalogFile", "Domain", "Codec", "Auth", "LoadGen"],
            path: "Sources/Bench/CreateBench",
            swiftSettings: swiftSettings
        ),

        // Fuzz targets (libFuzzer; see scripts/fuzz). Built normally, each replays its corpus in
        // Tests/FuzzCorpus/<name>; built with `--sanitize fuzzer -Xswiftc -DFUZZING`, it fuzzes.
        .target(name: "FuzzSupport", path: "Sources/Fuzz/FuzzSupport", swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzFrameDecoder",
            dependencies: ["Wire", "FuzzSupport"],
            path: "Sources/Fuzz/FuzzFrameDecoder",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FuzzRequestDecoders",
            dependencies: ["Codec", "Domain", "Wire", "FuzzSupport"],
            path: "Sources/Fuzz/FuzzRequestDecoders",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FuzzStoredChange",
            dependencies: ["Codec", "Domain", "FuzzSupport"],
            path: "Sources/Fuzz/FuzzStoredChange",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FuzzCatalog",
            dependencies: ["CatalogFile", "Domain", "FuzzSupport"],
            path: "Sources/Fuzz/FuzzCatalog",
            swiftSettings: swiftSettings
        ),

        // Tests.
        .target(name: "TestSupport", dependencies: ["Wire", "Domain", "Posix"], path: "Tests/TestSupport", swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "DomainTests", dependencies: ["Domain", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CodecTests", dependencies: ["Codec", "Domain", "Wire", "AchievementProtoC", "CProtobufC"], swiftSettings: swiftSettings),
        .testTarget(name: "CatalogFileTests", dependencies: ["CatalogFile", "Domain"], swiftSettings: swiftSettings),
        .testTarget(name: "AuthTests", dependencies: ["Auth", "Domain"], swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Domain", "Posix", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Client", "Codec", "Domain", "Wire", "Posix", "CatalogFile", "TestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)

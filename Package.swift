// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares: stricter existentials and explicit imports.
let sharedSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "clv",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "clv", targets: ["clv"]),
        .library(name: "Core", targets: ["Core"]),
        .library(name: "Transforms", targets: ["Transforms"]),
        .library(name: "PostgresClient", targets: ["PostgresClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .executableTarget(name: "EmbedSQLTool"),
        .plugin(name: "EmbedSQL", capability: .buildTool(), dependencies: ["EmbedSQLTool"]),
        .target(
            name: "PostgresClient",
            dependencies: ["CLibPQ"]
        ),
        .target(
            name: "LocalPostgres",
            dependencies: [
                "PostgresClient",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Core",
            dependencies: [
                "PostgresClient",
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["SQL"],
            plugins: ["EmbedSQL"]
        ),
        .target(
            name: "Transforms",
            dependencies: [
                "Core",
                "PostgresClient",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Ingest",
            dependencies: [
                "Core",
                "PostgresClient",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["SQL"],
            plugins: ["EmbedSQL"]
        ),
        .target(
            name: "Modeling",
            dependencies: [
                "Core",
                "PostgresClient",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["SQL"],
            plugins: ["EmbedSQL"]
        ),
        .target(
            name: "Dashboards",
            dependencies: [
                "Core",
                "PostgresClient",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Audiences",
            dependencies: [
                "Core",
                "PostgresClient",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["SQL"],
            plugins: ["EmbedSQL"]
        ),
        .target(
            name: "Rules",
            dependencies: [
                "Core",
                "PostgresClient",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["SQL"],
            plugins: ["EmbedSQL"]
        ),
        .target(
            name: "Pipeline",
            dependencies: [
                "Core",
                "Ingest",
                "Audiences",
                "Transforms",
                "Rules",
                "Modeling",
                "PostgresClient",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Scheduler",
            dependencies: [
                "Pipeline",
                "Rules",
                "Audiences",
                "Dashboards",
                "Modeling",
                "PostgresClient",
                "Ingest",
                "Core", "Transforms",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["SQL"],
            plugins: ["EmbedSQL"]
        ),
        .target(
            name: "Synthetic",
            dependencies: [
                "Core",
                "Ingest",
                "PostgresClient",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Server",
            dependencies: [
                "Dashboards",
                "Ingest",
                "Core",
                "PostgresClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "clv",
            dependencies: [
                "Audiences",
                "Dashboards",
                "Modeling",
                "Pipeline",
                "Rules",
                "Scheduler",
                "Synthetic",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                "Server",
                "Ingest",
                "Core", "Transforms",
                "LocalPostgres",
                "PostgresClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "PostgresClient", "LocalPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "PostgresClientTests",
            dependencies: ["PostgresClient", "TestSupport"]
        ),
        .testTarget(
            name: "LocalPostgresTests",
            dependencies: ["LocalPostgres", "PostgresClient", "TestSupport"]
        ),
        .testTarget(
            name: "CoreTests",
            dependencies: [
                "Core", "Ingest", "Scheduler", "Audiences", "Modeling", "Rules", "Pipeline", "Transforms",
                "PostgresClient", "TestSupport",
            ]
        ),
        .testTarget(
            name: "TransformsTests",
            dependencies: ["Core", "Transforms", "Pipeline", "PostgresClient", "TestSupport"]
        ),
        .testTarget(
            name: "IngestTests",
            dependencies: [
                "Ingest", "Synthetic", "Core", "Transforms", "Pipeline", "PostgresClient", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Dashboards", "Ingest", "Pipeline", "PostgresClient", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SchedulerTests",
            dependencies: [
                "Modeling", "Scheduler", "Core", "Transforms", "PostgresClient", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ModelingTests",
            dependencies: ["Modeling", "Core", "Transforms", "Pipeline", "PostgresClient", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "DashboardsTests",
            dependencies: [
                "Dashboards", "Core", "Transforms", "PostgresClient", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AudiencesTests",
            dependencies: [
                "Audiences", "Core", "Transforms", "Pipeline", "PostgresClient", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RulesTests",
            dependencies: [
                "Rules", "Pipeline", "Core", "Transforms", "PostgresClient", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Runs the built `clv` binary, so it depends on it: building the tests builds the binary.
        .testTarget(
            name: "CLVTests",
            dependencies: [
                "clv", "PostgresClient", "Scheduler", "Core", "Transforms", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Every command's argument parsing and validate(), in process, without a database.
        .testTarget(
            name: "CLVCommandTests",
            dependencies: [
                "clv", "Ingest", "Modeling",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + sharedSettings
}

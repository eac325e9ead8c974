// swift-tools-version: 6.1
import PackageDescription

// SwiftL4's benchmarks, in their own package so that the main package does not depend on
// the benchmark framework. Run with `swift package --package-path Benchmarks benchmark`.
let package = Package(
    name: "SwiftL4Benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "SwiftL4", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "IPC",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SwiftL4Bench", package: "SwiftL4"),
                .product(name: "HostedRuntime", package: "SwiftL4"),
                .product(name: "SeL4", package: "SwiftL4"),
                .product(name: "KernelCore", package: "SwiftL4"),
                .product(name: "KernelTestSupport", package: "SwiftL4"),
            ],
            path: "Benchmarks/IPC",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)

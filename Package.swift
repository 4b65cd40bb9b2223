// swift-tools-version: 6.0
import PackageDescription

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// The numeric code (kernels, plug-ins, the inference engine) is compiled optimized in debug
/// builds too: `swift test` runs real models, which unoptimized Swift runs 20–50× slower.
let optimized: [SwiftSetting] = settings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "QuantBench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quantbench", targets: ["quantbench"]),
        .library(name: "QuantCore", targets: ["QuantCore"]),
        .library(name: "QuantTestKit", targets: ["QuantTestKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .target(
            name: "QuantCore", dependencies: [.product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: optimized),
        .target(name: "Formats", dependencies: ["QuantCore"], path: "Plugins/Formats", swiftSettings: optimized),
        .target(name: "Granularities", dependencies: ["QuantCore"], path: "Plugins/Granularities", swiftSettings: optimized),
        .target(name: "Calibrators", dependencies: ["QuantCore"], path: "Plugins/Calibrators", swiftSettings: optimized),
        // Size, roofline latency, energy and measured-cost models. The chips table is data (chips.toml),
        // embedded in the code rather than a bundle, so a copied binary cannot lose it.
        .target(
            name: "CostModels", dependencies: ["QuantCore", .product(name: "TOMLKit", package: "TOMLKit")],
            path: "Plugins/CostModels", resources: [.embedInCode("chips.toml")], swiftSettings: settings),
        // Plug-ins written as a user would (docs/ImplementingACalibrator.md). Their Python twins sit
        // in python/, excluded as a folder so the __pycache__ Python writes there stays out of the target.
        .target(
            name: "Examples", dependencies: ["QuantCore"], path: "Plugins/Examples", exclude: ["python", "README.md"],
            swiftSettings: optimized),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlibShim", path: "Sources/CZlibShim", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CKernels"),
        .target(
            name: "QuantModels",
            dependencies: [
                "QuantCore", "CBLAS", "CKernels", "CZlibShim", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: optimized),
        .target(name: "QuantTestKit", dependencies: ["QuantCore"], swiftSettings: settings),
        // Python's headers only (pkg-config python3 adds no -lpython): the binary does not link
        // libpython; CPythonLoader dlopens it the first time Python is needed.
        .systemLibrary(name: "CPython", path: "Sources/CPython", pkgConfig: "python3", providers: [.apt(["libpython3-dev"])]),
        .target(name: "CPythonLoader", dependencies: ["CPython"], linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "PythonBridge", dependencies: ["CPython", "CPythonLoader", "QuantCore"], swiftSettings: settings),
        .target(
            name: "PythonPlugins", dependencies: ["PythonBridge", "QuantCore"], path: "Plugins/PythonPlugins",
            exclude: ["examples"], swiftSettings: settings),
        .target(
            name: "QuantBench",
            dependencies: [
                "QuantCore", "Formats", "Granularities", "Calibrators", "CostModels", "Examples", "QuantModels", "PythonBridge",
                "PythonPlugins", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: optimized),
        .executableTarget(
            name: "quantbench",
            dependencies: ["QuantBench", "CostModels", "PythonBridge", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: settings),
        .testTarget(name: "QuantCoreTests", dependencies: ["QuantCore", "QuantTestKit"], swiftSettings: settings),
        .testTarget(
            name: "PluginTests",
            dependencies: ["QuantCore", "Formats", "Granularities", "Calibrators", "QuantTestKit", "QuantBench"],
            exclude: ["Fixtures"],
            swiftSettings: settings),
        .testTarget(
            name: "CostModelTests",
            dependencies: ["CostModels", "QuantCore", "Formats", "QuantModels", "QuantBench"],
            swiftSettings: settings),
        .testTarget(
            name: "QuantModelsTests",
            dependencies: ["QuantModels", "QuantCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Fixtures"],
            swiftSettings: settings),
        .testTarget(name: "EngineTests", dependencies: ["QuantModels", "PythonBridge", "QuantCore"], swiftSettings: settings),
        .testTarget(name: "QuantBenchTests", dependencies: ["QuantBench", "quantbench"], swiftSettings: settings),
        .testTarget(name: "PythonBridgeTests", dependencies: ["PythonBridge", "QuantCore"], swiftSettings: settings),
        .testTarget(
            name: "PythonPluginsTests", dependencies: ["PythonPlugins", "PythonBridge", "QuantCore", "QuantBench", "QuantTestKit"],
            swiftSettings: settings),
        .testTarget(
            name: "ExamplesTests",
            dependencies: ["Examples", "QuantCore", "QuantTestKit", "QuantBench", "PythonBridge", "PythonPlugins"],
            exclude: ["Fixtures"],
            swiftSettings: settings),
    ]
)

// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way (see DESIGN.md):
// k3sim -> Reports -> Store, Scenario -> Simulation -> KubeModel -> SimKernel.
let package = Package(
    name: "k3sim",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "k3sim", targets: ["k3sim"]),
        .library(name: "K3simLibraries", targets: ["SimKernel", "KubeModel", "Simulation", "Scenario", "Store", "Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .target(name: "SimKernel"),
        .target(name: "KubeModel"),
        .target(name: "Simulation", dependencies: [
            "SimKernel", "KubeModel",
            .product(name: "DequeModule", package: "swift-collections"),
        ]),
        .target(name: "Scenario", dependencies: ["Simulation", "KubeModel", "SimKernel", "Yams"]),
        .target(name: "Store", dependencies: ["Simulation", .product(name: "GRDB", package: "GRDB.swift")]),
        // Renders stored runs as HTML and Markdown; reads the store, never simulates.
        .target(name: "Reports", dependencies: ["Store", "Simulation"]),
        .executableTarget(name: "k3sim", dependencies: [
            "Scenario", "Simulation", "Store", "Reports", "KubeModel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "SimKernelTests", dependencies: ["SimKernel"]),
        .testTarget(name: "KubeModelTests", dependencies: ["KubeModel"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "Simulation", "KubeModel"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Scenario", "KubeModel", "SimKernel"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Simulation", "Scenario"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Store", "Simulation"],
                    exclude: ["Golden"]),
        // Runs the built `k3sim` binary end to end (exit codes, stdout, the database).
        .testTarget(name: "CLITests", dependencies: ["k3sim"]),
    ]
)

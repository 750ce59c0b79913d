// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way (see DESIGN.md):
// k3sim -> Reports -> Store, Scenario, Costs -> Simulation -> KubeModel -> SimKernel;
// Scenario and Costs both read Catalog (types, prices, allocatable), which reads only KubeModel.
let package = Package(
    name: "k3sim",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "k3sim", targets: ["k3sim"]),
        .library(
            name: "K3simLibraries",
            targets: ["SimKernel", "KubeModel", "Simulation", "Catalog", "Scenario", "Costs", "Store", "Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // Property-based tests (generators with shrinking) in Swift Testing.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // A cache-prefetch hint for the event queue (static inline C; nothing to link).
        .target(name: "SimKernelShims"),
        .target(name: "SimKernel", dependencies: ["SimKernelShims"]),
        .target(name: "KubeModel"),
        .target(
            name: "Simulation",
            dependencies: [
                "SimKernel", "KubeModel",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]),
        // Machine types, prices (dated, sourced; SwiftPM resources), allocatable formulas and
        // node labels per platform: read by Scenario (to build nodes) and Costs (to bill and plan).
        .target(name: "Catalog", dependencies: ["KubeModel"], resources: [.process("Resources")]),
        .target(name: "Scenario", dependencies: ["Catalog", "Simulation", "KubeModel", "SimKernel", "Yams"]),
        // Billing rules per provider and the capacity planner (simulates candidate node sets).
        .target(name: "Costs", dependencies: ["Catalog", "Simulation", "KubeModel"]),
        .target(name: "Store", dependencies: ["Simulation", .product(name: "GRDB", package: "GRDB.swift")]),
        // Renders stored runs as HTML and Markdown; reads the store, never simulates.
        .target(name: "Reports", dependencies: ["Store", "Simulation"]),
        // libcurl, for the Kubernetes API and etcd (client certificates from memory, which
        // URLSession on Linux cannot do); `shim.h` wraps the variadic curl_easy_setopt.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Live mode: kubeconfig, the Kubernetes API and etcd over libcurl; snapshot, drills, probes.
        .target(name: "Live", dependencies: ["CCurl", "Scenario", "Catalog", "Simulation", "KubeModel", "Store", "Yams"]),
        // `k3sim bench`: PHOLD on the kernel (and on the peer engines in ../shared/bench),
        // the scheduler, the large scenario, Monte Carlo; wall time and peak memory.
        .target(name: "Bench", dependencies: ["SimKernel", "Simulation", "Scenario", "KubeModel"]),
        // `k3sim serve`: the simulation paced to the wall clock behind a Kubernetes API (Hummingbird).
        .target(
            name: "Serve",
            dependencies: [
                "Scenario", "Simulation", "KubeModel", "SimKernel", "Store",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "k3sim",
            dependencies: [
                "Serve",
                "Bench",
                "Scenario", "Simulation", "Store", "Reports", "KubeModel", "Catalog", "Costs", "Live",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "SimKernelTests", dependencies: ["SimKernel"]),
        .testTarget(name: "KubeModelTests", dependencies: ["KubeModel"]),
        // Fixtures/real-manifests: manifests written by others, read by the corpus test.
        .testTarget(
            name: "ScenarioTests",
            dependencies: [
                "Scenario", "Simulation", "KubeModel", "Yams", "Catalog", "Costs",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Scenario", "KubeModel", "SimKernel"]),
        .testTarget(name: "CostsTests", dependencies: ["Costs", "Catalog", "Scenario", "Simulation", "KubeModel"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Simulation", "Scenario"]),
        .testTarget(
            name: "ReportsTests", dependencies: ["Reports", "Store", "Simulation"],
            exclude: ["Golden"]),
        // Runs the built `k3sim` binary end to end (exit codes, stdout, the database); `k3sim serve`
        // with the real kubectl binaries as clients (skipped when kubectl is missing).
        .testTarget(name: "CLITests", dependencies: ["k3sim", "Store"]),
        // Live mode against a loopback HTTPS API server (Python, started by the tests) and a
        // real three-member etcd cluster; skipped with a reason when python3/openssl/etcd are missing.
        .testTarget(
            name: "LiveTests", dependencies: ["Live", "Store", "Scenario", "Simulation", "k3sim"],
            exclude: ["Fixtures"]),
    ]
)

import Catalog
import Costs
import Foundation
import Scenario

/// Shared fixtures: the shipped catalogs and the reference scenario.
enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func scenarioPath(_ name: String) -> String {
        packageRoot.appendingPathComponent("scenarios/\(name)").path
    }

    static var catalog: PriceCatalog { try! PriceCatalog.shipped() }

    static func reference() throws -> LoadedScenario {
        try ScenarioLoader.load(path: scenarioPath("hetzner-k3s-ha.yaml"))
    }

    static func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-costs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    static func estimate(_ input: CostInput, currency: String? = nil, catalog: PriceCatalog = Fixtures.catalog) throws
        -> CostOption
    {
        var fx: [String: FXUsed] = [:]
        let cur = currency ?? catalog.provider(input.provider)!.currency
        return try CostCalculator.estimate(input, catalog: catalog, currency: cur, fx: &fx)
    }
}

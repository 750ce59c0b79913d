import Catalog
import Costs
import Foundation
import Testing

@testable import Scenario

/// Mutations of a user's price catalog: each one is refused with its place, or loads and
/// prices the reference scenario in both currencies without a trap and with finite amounts.
@Suite struct CatalogFuzzTests {
    static let catalogText = """
        apiVersion: k3sim/v1alpha1
        kind: PriceCatalog
        providers:
          - provider: hetzner
            instanceTypes:
              - id: cax31
                prices: [{basis: new, region: eu-central, perMonth: 18.00, asOf: "2026-11-01", source: contract 42}]
              - id: cax21
                prices:
                  - {basis: new, region: eu-central, perHour: 0.0168, perMonth: 10.49, asOf: "2026-11"}
            items:
              - {id: primary-ipv4, price: 0.40, asOf: "2026"}
              - id: traffic-eu
                tiers: [{upToGB: 1000, price: 0.0}, {price: 0.001}]
        fx:
          - {base: EUR, quote: USD, rate: 1.10, date: "2026-11-20", source: ECB}
        """

    @Test func catalogMutations() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-catfuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = try PriceCatalog.shipped()
        let reference = try ScenarioLoader.load(path: scenariosDirectory.appendingPathComponent("hetzner-k3s-ha.yaml").path)
        let input = CostInput(platform: reference.platform)
        var m = Mutator(seed: 2026 &+ FuzzTests.seedOffset)
        var refused = 0, priced = 0
        for n in 0..<(FuzzTests.count * 2) {
            let (text, what) = m.mutate(Self.catalogText)
            let path = dir.appendingPathComponent("c\(n).yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let catalog: PriceCatalog
            do { catalog = try ScenarioLoader.loadCatalog(path: path, base: base) } catch let e as ScenarioError {
                FuzzTests.check(e, path: path, what: "catalog \(what)")
                refused += 1
                continue
            }
            for currency in ["EUR", "USD"] {
                var fx: [String: FXUsed] = [:]
                do {
                    let o = try CostCalculator.estimate(input, catalog: catalog, currency: currency, fx: &fx)
                    #expect(o.monthly.isFinite && o.monthly >= 0, "catalog \(what): \(o.monthly)")
                } catch is CostError {}  // e.g. a price removed: no estimate, not a crash
            }
            priced += 1
        }
        #expect(refused > 0 && priced > 0, "refused \(refused), priced \(priced)")
    }
}

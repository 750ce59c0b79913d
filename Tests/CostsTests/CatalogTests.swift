import Catalog
import Costs
import Foundation
import Scenario
import Testing

/// The shipped catalogs and a user's catalog (`--catalog`).
@Suite struct CatalogTests {
    @Test func shippedCatalogsLoadWithProvenance() throws {
        let c = try PriceCatalog.shipped()
        #expect(c.providers.keys.sorted() == ["aws", "cloudflare", "gcp", "hetzner", "linode"])
        for (_, p) in c.providers {
            for t in p.instanceTypes {
                for row in t.prices where row.isPriced {
                    #expect(row.source != nil, "\(p.provider) \(t.id) price without source")
                }
            }
            for item in p.items where item.price != nil {
                #expect(item.source != nil, "\(p.provider) \(item.id) without source")
            }
        }
        #expect(c.rates.first?.rate == 1.1567)
    }

    /// Hetzner marked every CAX and CX plan "not available" on 2026-09-03; CPX and CCX can be ordered.
    @Test func hetznerCostOptimizedPlansAreNotOrderable() throws {
        let h = try #require(try PriceCatalog.shipped().provider(.hetzner))
        for t in h.instanceTypes {
            #expect(t.orderable == !(t.id.hasPrefix("cax") || t.id.hasPrefix("cx")), "\(t.id)")
        }
        let cax21 = try #require(h.instanceType("cax21"))
        #expect(cax21.price(region: "eu-central", basis: .new)?.perMonth == 10.49)
        #expect(cax21.price(region: "eu-central", basis: .existing)?.perMonth == 7.99)
        #expect(cax21.price(region: "eu-central", basis: .existing)?.asOf == "2026-04-01")
        #expect(cax21.arch == "arm64")
        #expect(cax21.offeredIn == ["fsn1", "nbg1", "hel1"])
    }

    /// The reference platform with the default cost settings (servers and IPv4 only).
    /// The reference's servers at the list price (the one a user catalog overrides below).
    static func referenceWithoutServices() throws -> PlatformSpec {
        var p = try Fixtures.reference().platform
        p.costs = CostSettings()
        p.costs.priceBasis = .new
        return p
    }

    func write(_ text: String, ext: String = "yaml") throws -> String {
        let path = try Fixtures.tempDir().appendingPathComponent("catalog.\(ext)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A negotiated CAX31 price of 18.00: 4 · 18.00 replaces 4 · 20.99 in the reference,
    /// 118.93 − 83.96 + 72.00 = 106.97 EUR; nothing else changes.
    @Test func aUserCatalogThatChangesOnePriceChangesTheResult() throws {
        let path = try write(
            """
            apiVersion: k3sim/v1alpha1
            kind: PriceCatalog
            providers:
              - provider: hetzner
                instanceTypes:
                  - id: cax31
                    prices:
                      - {basis: new, region: eu-central, perMonth: 18.00, asOf: "2026-11-01", source: contract 42}
            """)
        let catalog = try ScenarioLoader.loadCatalog(path: path, base: Fixtures.catalog)
        let o = try Fixtures.estimate(CostInput(platform: try Self.referenceWithoutServices()), catalog: catalog)
        #expect(o.monthly == 106.97)
        let cax31 = try #require(o.items.first { $0.item.hasPrefix("server cax31") })
        #expect(cax31.unitPrice == 18.00)
        #expect(cax31.source == "contract 42")
        #expect(cax31.confidence == "user")
        #expect(o.items.first { $0.item.hasPrefix("server cax21") }?.amount == 31.47)
    }

    /// JSON is read as YAML: same rules, same positions.
    @Test func aJSONCatalogWorksToo() throws {
        let path = try write(
            """
            {"apiVersion": "k3sim/v1alpha1", "kind": "PriceCatalog",
             "providers": [{"provider": "hetzner", "items": [{"id": "primary-ipv4", "price": 0.40}]}],
             "fx": [{"base": "EUR", "quote": "USD", "rate": 1.10, "date": "2026-11-20", "source": "ECB"}]}
            """, ext: "json")
        let catalog = try ScenarioLoader.loadCatalog(path: path, base: Fixtures.catalog)
        let o = try Fixtures.estimate(CostInput(platform: try Self.referenceWithoutServices()), catalog: catalog)
        #expect(o.monthly == 118.23)  // 7 · 0.40 = 2.80 instead of 3.50
        #expect(catalog.conversion(from: "EUR", to: "USD")?.factor == 1.10)
        #expect(catalog.overrides == [path])
    }

    @Test func aMisspeltFieldIsReportedWithLineColumnAndField() throws {
        let path = try write(
            """
            apiVersion: k3sim/v1alpha1
            kind: PriceCatalog
            providers:
              - provider: hetzner
                instanceTypes:
                  - id: cax31
                    prices:
                      - {basis: new, perMonht: 18.00}
            """)
        do {
            _ = try ScenarioLoader.loadCatalog(path: path, base: Fixtures.catalog)
            Issue.record("expected an error")
        } catch let e as ScenarioError {
            #expect(e.line == 8)
            #expect(e.column == 26)
            #expect(e.field == "providers[0].instanceTypes[0].prices[0].perMonht")
            #expect(e.message == "unknown field \"perMonht\" in price (did you mean \"perMonth\"?)")
            #expect(e.description.hasPrefix("\(path):8:26: providers[0].instanceTypes[0].prices[0].perMonht:"))
        }
    }

    @Test func semanticErrorsArePositionedToo() throws {
        func error(_ yaml: String) throws -> ScenarioError {
            let path = try write("apiVersion: k3sim/v1alpha1\nkind: PriceCatalog\n" + yaml)
            do { _ = try ScenarioLoader.loadCatalog(path: path, base: Fixtures.catalog) } catch let e as ScenarioError {
                return e
            }
            throw CostError("no error")
        }
        let newType = try error(
            "providers:\n  - provider: aws\n    instanceTypes:\n      - id: m9g.large\n        prices: [{perHour: 0.1}]\n")
        #expect(newType.line == 6)
        #expect(newType.field == "providers[0].instanceTypes[0].id")
        #expect(newType.message.contains("a new type needs arch, vcpu, memoryGiB, offeredIn and prices"))
        let negative = try error("providers:\n  - provider: linode\n    items:\n      - {id: nodebalancer, price: -1}\n")
        #expect(negative.line == 6)
        #expect(negative.field == "providers[0].items[0].price")
        let provider = try error("providers:\n  - provider: azure\n")
        #expect(provider.line == 4)
        #expect(provider.message.contains("unknown provider \"azure\""))
        let currency = try error("providers:\n  - provider: hetzner\n    currency: USD\n")
        #expect(currency.field == "providers[0].currency")
    }

    /// A type the shipped catalog lacks can be added and is then planned.
    @Test func aNewTypeCanBeAdded() throws {
        let path = try write(
            """
            apiVersion: k3sim/v1alpha1
            kind: PriceCatalog
            providers:
              - provider: aws
                instanceTypes:
                  - {id: m8g.4xlarge, arch: arm64, vcpu: 16, memoryGiB: 64, offeredIn: [eu-central-1], maxPods: 234,
                     prices: [{region: eu-central-1, perHour: 0.86, asOf: "2026-11-01", source: aws price list}]}
            """)
        let catalog = try ScenarioLoader.loadCatalog(path: path, base: Fixtures.catalog)
        let t = try #require(catalog.provider(.aws)?.instanceType("m8g.4xlarge"))
        #expect(t.maxPods == 234)
        #expect(t.price(region: "eu-central-1", basis: .new)?.perHour == 0.86)
    }
}

import Catalog
import Costs
import Testing

/// `k3sim cost diff`: per-item changes, figures by hand from the shipped catalogs.
@Suite struct CostDiffTests {
    func option(agents: Int, volumeGiB: Int64?) throws -> CostOption {
        var input = CostInput(
            provider: .hetzner, distribution: .k3s, region: "eu-central", nodes: [NodeCount(type: "cax31", count: agents)])
        input.settings.objectStorage = ObjectStorageSettings(walGBPerDay: 1, retentionDays: 7, baseBackupGB: 0)
        if let v = volumeGiB {
            input.volumes = [ClaimedVolume(owner: "shop/db", count: 1, storageBytes: v << 30, storageClass: "hcloud-volumes")]
        }
        return try Fixtures.estimate(input)
    }

    /// Before: 4 CAX31 at the existing-server price 4 · 15.99 = 63.96, IPv4 4 · 0.50 = 2.00,
    /// S3 7 GB · 0.0245 = 0.17 USD → 0.15 EUR, S3 PUT unpriced: ≥ 66.11 EUR. After: 3 · 15.99 =
    /// 47.97, IPv4 1.50, a 20 GB volume · 0.0572 = 1.14, S3 the same: ≥ 50.76 EUR. Changes:
    /// −15.99, −0.50, +1.14 (added); S3 storage unchanged (left out); S3 PUT unknown (kept).
    @Test func perItemChanges() throws {
        let d = try CostDiff(
            a: try option(agents: 4, volumeGiB: nil), named: "before",
            b: try option(agents: 3, volumeGiB: 20), named: "after")
        #expect(
            d.items.map(\.item) == [
                "server cax31 (existing-server price)", "primary IPv4", "S3 PUT requests (WAL segments)",
                "Hetzner Volumes: persistent volumes (1 claim)",
            ])
        #expect(d.items.map(\.change) == [-15.99, -0.50, 0, 1.14])
        #expect(d.items[3].a == nil && d.items[3].b == 1.14)
        #expect(d.items[2].priced == false)
        #expect(d.a.monthly == 66.11 && d.b.monthly == 50.76)
        #expect(d.change == -15.35)
        #expect(d.a.complete == false && d.b.complete == false)
    }
}

import Catalog
import Costs
import KubeModel
import Scenario
import Simulation
import Testing

/// Every PersistentVolumeClaim the workload makes is priced as the provider's block storage;
/// figures by hand from the shipped catalogs.
@Suite struct VolumeCostTests {
    func line(_ o: CostOption, _ prefix: String) -> CostLine? { o.items.first { $0.item.hasPrefix(prefix) } }

    func input(_ provider: Provider, _ d: Distribution, _ region: String, _ w: Workloads, defaultClass: String? = nil)
        -> CostInput
    {
        var i = CostInput(provider: provider, distribution: d, region: region, nodes: [])
        i.volumes = ClaimedVolume.of(w)
        i.defaultStorageClass = defaultClass
        return i
    }

    /// A StatefulSet of 2 with a 5 Gi template and a 30 Gi claim.
    var workloads: Workloads {
        let text = """
            apiVersion: k3sim/v1alpha1
            kind: Scenario
            metadata: {name: volumes}
            spec:
              duration: 10m
              platform: {distribution: k3s, provider: hetzner, region: eu-central, kubernetesVersion: "1.33"}
              nodePools: [{name: agents, serverType: cpx32, count: 2}]
              workloads:
                - object:
                    apiVersion: v1
                    kind: PersistentVolumeClaim
                    metadata: {name: uploads, namespace: shop}
                    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 30Gi}}}
                - object:
                    apiVersion: apps/v1
                    kind: StatefulSet
                    metadata: {name: queue, namespace: shop}
                    spec:
                      replicas: 2
                      serviceName: queue
                      selector: {matchLabels: {app: queue}}
                      template:
                        metadata: {labels: {app: queue}}
                        spec: {containers: [{name: q, image: q}]}
                      volumeClaimTemplates:
                        - metadata: {name: data}
                          spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
            """
        return try! ScenarioLoader.load(text: text, path: "/tmp/volumes.yaml").userWorkloads
    }

    /// Hetzner Volumes are at least 10 GB: 30 + 2 · max(10, 5) = 50 GB · 0.0572 = 2.86 EUR.
    /// EBS gp3 has a 1 GiB minimum: 30 + 2 · 5 = 40 GB · 0.0952 = 3.81 USD.
    @Test func claimsPerProvider() throws {
        let h = try Fixtures.estimate(input(.hetzner, .k3s, "eu-central", workloads, defaultClass: "hcloud-volumes"))
        #expect(line(h, "Hetzner Volumes")?.quantity == 50)
        #expect(line(h, "Hetzner Volumes")?.amount == 2.86)
        #expect(line(h, "Hetzner Volumes")?.basis == "shop/uploads 1 × 30 GB + shop/queue/data 2 × 10 GB")
        let a = try Fixtures.estimate(input(.aws, .eks, "eu-central-1", workloads))
        #expect(line(a, "EBS gp3: persistent volumes (3 claims)")?.quantity == 40)
        #expect(line(a, "EBS gp3: persistent volumes")?.amount == 3.81)
        // Linode Block Storage 50 GB · 0.10 = 5.00 USD.
        let l = try Fixtures.estimate(input(.linode, .lke, "eu-central", workloads))
        #expect(line(l, "Linode Block Storage")?.amount == 5.00)
    }

    /// pd-balanced per region, from Cyclenerd's pricing.yml of 2026-07-30 (Google's Cloud
    /// Billing Catalog): europe-west1 and us-central1 0.10, europe-west3 0.12 USD per GB-month.
    /// 50 GB · 0.10 = 5.00 USD; 50 GB · 0.12 = 6.00 USD.
    @Test func pdBalancedPerRegion() throws {
        for (region, amount) in [("europe-west1", 5.00), ("europe-west3", 6.00), ("us-central1", 5.00)] {
            let v = try #require(
                line(try Fixtures.estimate(input(.gcp, .gke, region, workloads)), "pd-balanced: persistent volumes"))
            #expect(v.quantity == 50 && v.amount == amount && v.priced, "\(region)")
            #expect(v.asOf == "2026-07-30" && v.confidence == "derived", "\(region)")
        }
    }

    /// A volume price the catalog lacks (here pd-balanced in europe-west1, removed) is an
    /// unpriced line, and the total a lower bound.
    @Test func anUnpricedVolumeMakesTheTotalALowerBound() throws {
        var catalog = Fixtures.catalog
        let items = try #require(catalog.providers["gcp"]?.items)
        catalog.providers["gcp"]?.items = items.map { i in
            var i = i
            if i.id == "pd-balanced" && i.region == "europe-west1" { i.price = nil }
            return i
        }
        let g = try Fixtures.estimate(input(.gcp, .gke, "europe-west1", workloads), catalog: catalog)
        let v = try #require(line(g, "pd-balanced: persistent volumes"))
        #expect(v.priced == false && v.quantity == 50)
        #expect(g.complete == false)
    }

    /// K3S's local-path claims live on the servers' disks: no volume line, a note instead.
    @Test func localPathClaimsAreOnTheServersDisks() throws {
        let h = try Fixtures.estimate(input(.hetzner, .k3s, "eu-central", workloads, defaultClass: "local-path"))
        #expect(line(h, "Hetzner Volumes") == nil)
        #expect(h.notes.contains("50 GB of claims on local-path live on the servers' own disks (included in the server price)."))
    }

    /// The reference's CloudNativePG cluster: 3 instances × 20 Gi on hcloud-volumes =
    /// 60 GB · 0.0572 = 3.43 EUR; its instances' requests count in the planner's demand.
    @Test func referenceCloudNativePGVolumes() throws {
        let ref = try Fixtures.reference()
        let claims = ClaimedVolume.of(ref.userWorkloads)
        #expect(claims == [ClaimedVolume(owner: "shop/shop-db", count: 3, storageBytes: 20 << 30)])
        let o = try Fixtures.estimate(
            CostInput(
                platform: ref.platform, workloads: ref.userWorkloads,
                defaultStorageClass: ref.spec.storage.defaultClass))
        #expect(line(o, "Hetzner Volumes: persistent volumes (3 claims)")?.amount == 3.43)
        #expect(o.monthly == 97.17)  // 93.74 + 3.43
    }

    /// Ages against the run's day: Hetzner's catalog (2026-09-04) is 94 days old on 2026-12-07.
    @Test func oldCatalogsAreNamed() {
        let c = Fixtures.catalog
        #expect(CatalogAge.note(c, providers: ["hetzner"], today: "2026-09-10") == nil)
        #expect(CatalogAge.note(c, providers: ["hetzner"], today: "2026-12-02") == nil)  // 89 days
        #expect(
            CatalogAge.note(c, providers: ["hetzner", "aws"], today: "2026-12-07")?
                .hasPrefix("Catalogs older than 90 days on 2026-12-07: aws (2026-08-14), hetzner (2026-09-04);") == true)
        #expect(CatalogAge.note(c, providers: ["hetzner"], today: nil) == nil)
    }
}

import Catalog
import KubeModel
import Scenario
import Simulation
import Testing

/// Allocatable per platform, on worked examples computed by hand from the published formulas.
@Suite struct AllocatableTests {
    let mi = Allocatable.mebibyte, gi = Allocatable.gibibyte

    /// 6 % of core 1 (60m), 1 % of core 2 (10m), 0.5 % of cores 3–4 (5m each), 0.25 % above (2.5m each).
    @Test func managedCPUReservation() {
        #expect(Allocatable.managedCPUReservedMilli(vcpu: 1) == 60)
        #expect(Allocatable.managedCPUReservedMilli(vcpu: 2) == 70)
        #expect(Allocatable.managedCPUReservedMilli(vcpu: 4) == 80)
        #expect(Allocatable.managedCPUReservedMilli(vcpu: 5) == 82)  // 82.5 rounded down
        #expect(Allocatable.managedCPUReservedMilli(vcpu: 8) == 90)
        #expect(Allocatable.managedCPUReservedMilli(vcpu: 16) == 110)
    }

    /// 8 GiB: 25 % of 4 GiB (1 GiB) + 20 % of 4 GiB (819.2 MiB); 16 GiB adds 10 % of 8 GiB;
    /// under 1 GiB: 255 MiB.
    @Test func gkeMemoryReservation() {
        #expect(Allocatable.gkeMemoryReservedBytes(memoryBytes: 512 * mi) == 255 * mi)
        #expect(Allocatable.gkeMemoryReservedBytes(memoryBytes: 4 * gi) == gi)
        #expect(Allocatable.gkeMemoryReservedBytes(memoryBytes: 8 * gi) == gi + 858_993_459)
        #expect(Allocatable.gkeMemoryReservedBytes(memoryBytes: 16 * gi) == gi + 858_993_459 + 858_993_459)
        // 32 GiB: + 6 % of the 16 GiB above 16.
        #expect(Allocatable.gkeMemoryReservedBytes(memoryBytes: 32 * gi) == gi + 2 * 858_993_459 + 1_030_792_151)
    }

    func type(_ provider: Provider, _ id: String) throws -> InstanceType {
        try #require(try PriceCatalog.shipped().provider(provider)?.instanceType(id))
    }

    /// EKS m7g.large: 2 vCPU, 8 GiB, 29 pods (ENI limit): CPU 2000 − 70 = 1930m; memory
    /// 8192 − (11 · 29 + 255 = 574) − 100 = 7518 MiB.
    @Test func eksOnM7gLarge() throws {
        let r = Allocatable.node(try type(.aws, "m7g.large"), distribution: .eks)
        #expect(r.pods == 29)
        #expect(r.allocatable.milliCPU == 1930)
        #expect(r.allocatable.memoryBytes == 7518 * mi)
        let small = Allocatable.node(try type(.aws, "t4g.medium"), distribution: .eks)
        #expect(small.pods == 17)
        #expect(small.allocatable.memoryBytes == (4096 - (11 * 17 + 255) - 100) * mi)
    }

    /// GKE e2-standard-4: 4 vCPU, 16 GiB: CPU 4000 − 80 = 3920m; memory 16 GiB − 2.6 GiB − 100 MiB.
    @Test func gkeOnE2Standard4() throws {
        let r = Allocatable.node(try type(.gcp, "e2-standard-4"), distribution: .gke)
        #expect(r.allocatable.milliCPU == 3920)
        #expect(r.allocatable.memoryBytes == 16 * gi - (gi + 2 * 858_993_459) - 100 * mi)
        #expect(r.pods == 110)
    }

    /// K3S, RKE2, MicroK8s, Talos and (assumed) LKE: kubelet defaults only.
    @Test func selfManagedKubeletDefaults() throws {
        let cax31 = try type(.hetzner, "cax31")
        for d in [Distribution.k3s, .rke2, .microk8s, .talos] {
            let r = Allocatable.node(cax31, distribution: d)
            #expect(r.allocatable == Resources(milliCPU: 8000, memoryBytes: 16 * gi - 100 * mi))
            #expect(r.pods == 110)
        }
        #expect(
            Allocatable.node(try type(.linode, "g6-standard-2"), distribution: .lke).allocatable.memoryBytes == 4 * gi - 100 * mi)
    }

    /// The planner subtracts the K3S server process (60m, 1606 MiB) and the headroom.
    @Test func plannedCapacity() throws {
        let cpx22 = try type(.hetzner, "cpx22")
        let server = Allocatable.planned(cpx22, distribution: .k3s, server: true)
        #expect(server == Resources(milliCPU: 1940, memoryBytes: 4 * gi - 100 * mi - 1606 * mi))
        let headroom = Allocatable.planned(cpx22, distribution: .k3s, server: false, headroomPercent: 20)
        #expect(headroom.milliCPU == 1600)
    }

    /// The generic node factory builds exactly what the original K3S-on-Hetzner path builds.
    @Test func nodeFactoryMatchesTheK3sHetznerPreset() throws {
        let ref = try Fixtures.reference()
        let pc = try #require(Fixtures.catalog.provider(.hetzner))
        let built = try PlatformNodes.build(ref.platform, catalog: pc).nodes.sorted { $0.name < $1.name }
        #expect(built.count == ref.spec.nodes.count)
        for (a, b) in zip(built, ref.spec.nodes) {
            #expect(a == b, "\(a.name)")
        }
    }
}

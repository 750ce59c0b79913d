import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// The CloudNativePG operator driven by hand through its context: what it creates, in which
/// order, and how long each step of a failover waits.
struct CNPGOperatorTests {
    /// Instances come one at a time, each once the ones before are Ready; the first is the
    /// primary. Three instances get the `-primary` PDB (minAvailable 1) and the replica PDB
    /// (minAvailable 3 − 2 = 1).
    @Test func instancesAreCreatedOneAtATimeAfterTheOthersAreReady() throws {
        let ctx = try PGContext()
        let op = CloudNativePGOperator()
        op.create(ctx.cluster, in: ctx)
        #expect(ctx.pdbs.map(\.metadata.name) == ["shop-db-primary", "shop-db"])
        #expect(ctx.pdbs.map(\.minAvailable) == [.int(1), .int(1)])
        #expect(ctx.queued.map(\.event) == [.sync(0)] && ctx.queued.map(\.after) == [.milliseconds(10)])
        op.handle(.sync(0), in: ctx)
        #expect(ctx.claims == ["shop-db-1"])
        #expect(ctx.pods[PodID(0)]?.labels["cnpg.io/instanceRole"] == "primary")
        op.handle(.sync(0), in: ctx)
        #expect(ctx.pods.count == 1, "shop-db-2 waits for shop-db-1 to be Ready")
        ctx.start(PodID(0), node: 0)
        op.handle(.sync(0), in: ctx)
        #expect(ctx.claims == ["shop-db-1", "shop-db-2"])
        #expect(ctx.pods[PodID(1)]?.labels["cnpg.io/instanceRole"] == "replica")
        #expect(op.clusters[0].podBySerial == [1: PodID(0), 2: PodID(1)])
    }

    /// The primary's pod turns not Ready: the election comes after apiLatency + failoverDelay
    /// (10 ms + 0 s); the promotion after the old primary's Lease — 15 s unreleased when its
    /// node's K3S is down, one 2 s retry period when it could release it — plus pg_ctl
    /// promote 2 s.
    @Test(arguments: [(false, SimTime.seconds(17)), (true, SimTime.seconds(4))])
    func failoverWaitsOutTheOldPrimarysLease(oldNodeUp: Bool, promoteAfter: SimTime) throws {
        let ctx = try PGContext()
        let op = CloudNativePGOperator()
        op.create(ctx.cluster, in: ctx)
        for id in 0..<3 {
            op.handle(.sync(0), in: ctx)
            ctx.start(PodID(id), node: id)
        }
        ctx.measuring = true
        ctx.queued = []
        ctx.pods[PodID(0)]?.ready = false
        ctx.k3sDown = oldNodeUp ? [] : [0]
        op.handle(.sync(0), in: ctx)
        #expect(ctx.queued.map(\.event) == [.failoverElect(cluster: 0, generation: 1)])
        #expect(ctx.queued.map(\.after) == [.milliseconds(10)])
        #expect(ctx.milestones == [.primaryUnready])
        op.handle(.failoverElect(cluster: 0, generation: 1), in: ctx)
        #expect(ctx.pods[PodID(0)]?.labels["role"] == "unhealthy")
        #expect(ctx.queued.last?.event == .promote(cluster: 0, serial: 2, generation: 1))
        #expect(ctx.queued.last?.after == promoteAfter)
        ctx.now = promoteAfter
        op.handle(.promote(cluster: 0, serial: 2, generation: 1), in: ctx)
        #expect(op.clusters[0].primary == 2)
        #expect(ctx.pods[PodID(1)]?.labels["role"] == "primary" && ctx.pods[PodID(0)]?.labels["role"] == "replica")
        #expect(op.secondsWithoutPrimary(workload: WorkloadID(0), now: ctx.now) == promoteAfter.seconds)
    }

    /// The liveness kill of a primary cut off at 600 s: probes on the grid of a pod started at
    /// 3 s tick at 603 s, 613 s, 623 s; the third failure answers 1.5 s later. A cut exactly
    /// on a tick is first seen by the next one.
    @Test func isolationKillFollowsTheProbeGrid() {
        #expect(CNPGLiveness.killTime(probeGridStart: .seconds(3), cutAt: .seconds(600)) == .milliseconds(624_500))
        #expect(CNPGLiveness.killTime(probeGridStart: .zero, cutAt: .seconds(600)) == .milliseconds(631_500))
    }
}

/// The operator's view of a cluster of three nodes, for driving it by hand.
final class PGContext: CNPGOperatorContext {
    let cluster: CNPGCluster
    var now: SimTime = .zero
    var pods: [PodID: SimPod] = [:]
    let nodes: [SimNode]
    var queued: [(event: CNPGEvent, after: SimTime)] = []
    var pdbs: [PodDisruptionBudget] = []
    var claims: [String] = []
    var milestones: [MilestoneName] = []
    var measuring = false
    var k3sDown: Set<Int> = []
    let unpartitioned = true

    init() throws {
        let spec = try Support.scenario("cnpg-failover.yaml")
        cluster = spec.workloads.cnpgClusters[0]
        nodes = spec.nodes.prefix(3).enumerated().map { SimNode(index: $0, spec: $1, zone: $0, leaseRenewTime: .zero) }
    }

    /// The kubelet ran the pod on node `n` and its readiness probe passed.
    func start(_ id: PodID, node n: Int) {
        pods[id]?.node = n
        pods[id]?.running = true
        pods[id]?.ready = true
    }

    func schedule(_ event: CNPGEvent, after delay: SimTime) { queued.append((event, delay)) }
    func schedule(_ event: CNPGEvent, at time: SimTime) { queued.append((event, time - now)) }
    func informerLatency() -> SimTime { .milliseconds(10) }
    func addWorkload(name: String, kind: String, desired: Int) -> WorkloadID { WorkloadID(0) }
    func isMeasuring(workload w: WorkloadID) -> Bool { measuring }
    func addNote(_ text: String) {}
    func addPodDisruptionBudget(_ pdb: PodDisruptionBudget) { pdbs.append(pdb) }
    func addClaim(_ pvc: PersistentVolumeClaim) { claims.append(pvc.metadata.name) }
    func createInstancePod(
        name: String, namespace: String, labels: [String: String], spec: PodSpec, owner: PodOwner, workload: WorkloadID
    ) -> PodID {
        let id = PodID(pods.count)
        pods[id] = SimPod(
            id: id, name: name, namespace: namespace, labels: labels, spec: spec, owner: owner, workload: workload,
            created: now, requests: Resources(), nonZeroRequests: Resources(), priority: 0, tolerations: [])
        return id
    }
    func setInstanceRole(_ pod: PodID, _ role: String) {
        pods[pod]?.labels["cnpg.io/instanceRole"] = role
        pods[pod]?.labels["role"] = role
    }
    func k3sRunning(_ n: Int) -> Bool { !k3sDown.contains(n) }
    func canWrite(from n: Int) -> Bool { !k3sDown.contains(n) }
    func sameSide(_ a: Int, _ b: Int) -> Bool { true }
    func kubeletGeneration(_ pod: PodID) -> Int { 0 }
    func probeGridStart(_ pod: PodID) -> SimTime { .zero }
    func stopAfterLivenessFailure(_ pod: PodID) { pods[pod]?.running = false }
    func restartStoppedPod(_ pod: PodID) { pods[pod]?.running = true }
    func faultsObserve(_ name: MilestoneName, onNode n: Int, _ mechanism: String) { milestones.append(name) }
    func faultsObservePodDeletion(workload w: WorkloadID, _ name: MilestoneName, _ mechanism: String) {}
}

import Scenario
import SimKernel
import Testing

@testable import Simulation

/// dqlite's C raft election timer (canonical/dqlite src/raft/election.c
/// `electionResetTimer`, src/raft/uv.c `uvRandom` and `uvStart`): a timeout in whole
/// milliseconds from [election_timeout, 2 × election_timeout), looked at on the member's own
/// ticks every heartbeat_timeout.
@Suite struct DqliteRaftTests {
    func microk8s() throws -> ClusterSimulation {
        let text = """
            apiVersion: k3sim/v1alpha1
            kind: Scenario
            metadata: {name: dqlite-timer}
            spec:
              duration: 1m
              platform: {distribution: microk8s, provider: hetzner, kubernetesVersion: "1.33"}
              controlPlane: {count: 3, serverType: cax21, locations: [fsn1, nbg1, hel1]}
            """
        return ClusterSimulation(spec: try ScenarioLoader.load(text: text, path: "/tmp/dqlite.yaml").spec)
    }

    /// Reset at 10.123 s: the drawn expiry lies in [13.123, 16.122] s and the campaign on the
    /// first 500 ms tick at or after it, so 3000 ms to under 6500 ms after the reset, on the
    /// tick grid, and a 2.999 s span of draws covers 6 or 7 ticks.
    @Test func campaignsOnItsOwnTicks() throws {
        let sim = try microk8s()
        let start = SimTime.milliseconds(10_123)
        let due = (0..<400).map { _ in sim.etcd.electionTimerExpiry(member: 1, from: start, in: sim) }
        let phase = sim.etcd.dqliteTicks(member: 1, in: sim).start
        #expect(phase >= .zero && phase < .milliseconds(500))
        for t in due {
            #expect((t - phase).microseconds % 500_000 == 0)
            #expect(t - start >= .milliseconds(3000) && t - start < .milliseconds(6500))
        }
        #expect((6...7).contains(Set(due).count))
    }

    /// K3S keeps etcd's timer: whole heartbeat ticks, 5000 ms to 9500 ms after the reset.
    @Test func etcdKeepsItsTickCount() throws {
        let text = """
            apiVersion: k3sim/v1alpha1
            kind: Scenario
            metadata: {name: etcd-timer}
            spec:
              duration: 1m
              platform: {distribution: k3s, provider: hetzner, kubernetesVersion: "1.33"}
              controlPlane: {count: 3, serverType: cax21, locations: [fsn1, nbg1, hel1]}
            """
        let sim = ClusterSimulation(spec: try ScenarioLoader.load(text: text, path: "/tmp/etcd.yaml").spec)
        #expect(sim.spec.controlPlane.embeddedRaft == .etcd)
        let start = SimTime.milliseconds(10_123)
        for _ in 0..<200 {
            let t = sim.etcd.electionTimerExpiry(member: 0, from: start, in: sim) - start
            #expect(t.microseconds % 500_000 == 0 && t >= .milliseconds(5000) && t <= .milliseconds(9500))
        }
    }
}

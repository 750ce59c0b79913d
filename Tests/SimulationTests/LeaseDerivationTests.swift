import Foundation
import Testing

@testable import Simulation

/// Lease renewals of healthy kubelets are derived from their phase instead of simulated
/// one event each: every shipped scenario — node crashes, zone outages,
/// partitions, etcd leader and quorum loss, upgrades with kubelet restarts, drains — gives
/// the same record with both models, except for the number of events.
@Suite struct LeaseDerivationTests {
    static func record(_ file: String, seed: UInt64, explicit: Bool) throws -> RunRecord {
        var spec = try Support.scenario(file)
        spec.seed = seed
        let sim = ClusterSimulation(spec: spec)
        sim.kubelet.explicitLeaseRenewals = explicit
        var r = sim.run()
        r.wallSeconds = 0
        return r
    }

    @Test(arguments: ShippedScenarioTests.files)
    func derivedRenewalsGiveTheSameRun(_ file: String) throws {
        for seed: UInt64 in [1, 2] {
            let explicit = try Self.record(file, seed: seed, explicit: true)
            var derived = try Self.record(file, seed: seed, explicit: false)
            #expect(derived.events < explicit.events, "\(file): derived renewals should save events")
            derived.events = explicit.events
            #expect(derived == explicit, "\(file) seed \(seed): the derived lease model changed the run")
        }
    }
}

import Foundation
import Testing

@testable import Simulation

/// PodTopologySpread counts matching pods per node through an index that recounts a node
/// only when its pods changed. With `verify` every cached count is checked against a full
/// recount (a stale count stops the run), over every shipped scenario: crashes, outages,
/// rollouts, drains, preemption, CloudNativePG relabelling.
@Suite struct MatchCountIndexTests {
    @Test(arguments: ShippedScenarioTests.files)
    func cachedCountsEqualRecounts(_ file: String) throws {
        let sim = ClusterSimulation(spec: try Support.scenario(file))
        sim.schedulerCache.matchCounts.verify = true
        let verified = sim.run()
        var plain = ClusterSimulation(spec: try Support.scenario(file)).run()
        plain.wallSeconds = verified.wallSeconds
        #expect(plain == verified)
    }
}

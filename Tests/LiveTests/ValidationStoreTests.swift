import Foundation
import Live
import Simulation
import Store
import Testing

/// The `validations` table: a comparison saved next to its runs reads back exactly, with
/// "not observed" and "not simulated" kept apart from zero.
struct ValidationStoreTests {
    func record(_ source: String, _ milestones: [(MilestoneName, Double)]) -> RunRecord {
        RunRecord(
            scenarioName: "s", seed: 1, source: source, simulatedSeconds: 100, wallSeconds: 1, events: 1, workloads: [],
            faults: [
                FaultResult(
                    index: 0, action: "drain", target: "node/agents-0", at: 10,
                    milestones: milestones.map { Milestone(name: $0.0, at: $0.1, mechanism: "m") })
            ],
            controlPlane: ControlPlaneResult(), pendingPodsAtEnd: 0, series: [], notes: [])
    }

    @Test func comparisonRoundTrips() throws {
        let store = try ResultStore.inMemory()
        let sims = [
            record("simulation", [(.cordoned, 10), (.drained, 30)]), record("simulation", [(.cordoned, 10), (.drained, 40)]),
        ]
        let live = record("live", [(.cordoned, 10.1), (.drainFailed, 50)])
        let simIDs = try store.save(scenarioName: "s", scenarioText: "x", records: sims, k3simVersion: "t")
        let liveID = try store.save(scenarioName: "s", scenarioText: "x", records: [live], k3simVersion: "t")[0]
        let rows = Comparison.compare(live: live, simulated: sims, tolerance: 0.5)
        #expect(rows.map(\.milestone) == ["cordoned", "drainFailed", "drained"])
        #expect(rows[0].inside == true && abs(rows[0].error! - 0.1) < 1e-9)
        #expect(rows[1].simulated == nil && rows[1].inside == nil)  // observed, not simulated
        #expect(rows[2].observed == nil && rows[2].simulated?.p50 == 25)  // simulated, not observed
        let v = ValidationRecord(
            kind: "drill", scenarioName: "s", liveRunID: liveID, simulatedBatchID: simIDs[0],
            simulatedRuns: 2, toleranceSeconds: 0.5, milestones: rows)
        try store.saveValidation(v)
        #expect(try store.validations(liveRunID: liveID) == [v])
        #expect(try store.validations(liveRunID: simIDs[0]).isEmpty)
    }
}

import Foundation
import GRDB
import Simulation
import Testing

@testable import Store

/// A run's HorizontalPodAutoscalers, with their rescales, are stored with it and read back
/// exactly (optional fields NULL), and go when the run is deleted.
struct AutoscalerResultStoreTests {
    static func record() -> RunRecord {
        var r = sampleRecord()
        var web = AutoscalerResult(
            name: "shop/web", target: "deployment/shop/web", minReplicas: 2, maxReplicas: 6, initialReplicas: 2)
        web.rescales = [
            .init(at: 75.5, from: 2, to: 4, utilization: 160, demandMillicores: 1_600),
            .init(at: 90.25, from: 4, to: 6, utilization: 121, demandMillicores: 2_900),
            .init(at: 700, from: 6, to: 5, utilization: nil, demandMillicores: 800),
        ]
        web.maxReplicasReached = 6
        web.hitMaxReplicas = true
        web.secondsAtMax = 609.75
        web.maxPendingPods = 2
        web.peakUtilization = 160
        web.peakUtilizationAt = 75.5
        // A load on a target without a HorizontalPodAutoscaler: no rescales, no peak.
        let worker = AutoscalerResult(
            name: "", target: "statefulset/shop/worker", minReplicas: 3, maxReplicas: 3, initialReplicas: 3)
        r.autoscalers = [web, worker]
        return r
    }

    @Test func autoscalersRoundTripAndCascade() throws {
        let store = try ResultStore.inMemory()
        let ids = try store.save(
            scenarioName: "zone-outage", scenarioText: scenarioText, records: [Self.record(), sampleRecord(seed: 9)],
            k3simVersion: "0.1.0")
        let read = try store.run(id: ids[0])?.record
        #expect(read == Self.record())
        #expect(read?.autoscalers?[0].rescales.map(\.to) == [4, 6, 5])
        #expect(read?.autoscalers?[1].peakUtilization == nil && read?.autoscalers?[1].hitMaxReplicas == false)
        #expect(try store.run(id: ids[1])?.record.autoscalers == nil)
        #expect(try count(store, "autoscaler_result") == 2 && count(store, "autoscaler_rescale") == 3)
        try store.dbQueue.write { db in try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [ids[0]]) }
        #expect(try count(store, "autoscaler_result") == 0 && count(store, "autoscaler_rescale") == 0)
    }

    /// `merge` copies a run's autoscalers with it, under the run's new id.
    @Test func mergeCopiesAutoscalers() throws {
        let source = try ResultStore.inMemory()
        try source.save(scenarioName: "hpa", scenarioText: "x", records: [Self.record()], k3simVersion: "t")
        let target = try ResultStore.inMemory()
        try target.save(scenarioName: "other", scenarioText: "y", records: [sampleRecord(seed: 5)], k3simVersion: "t")
        _ = try target.merge([source], names: ["source"])
        #expect(try target.run(id: 2)?.record.autoscalers == Self.record().autoscalers)
        #expect(try target.run(id: 1)?.record.autoscalers == nil)
    }
}

import Foundation
import GRDB
import Simulation
import Testing

@testable import Store

/// Costs stored with a run (migration v4-costs).
@Suite struct CostStoreTests {
    let option = StoredCostOption(
        provider: "hetzner", distribution: "k3s", region: "eu-central", origin: "scenario", currency: "EUR", monthly: 121.24,
        items: [
            StoredCostItem(
                item: "server cax31", category: "compute", quantity: 4, unit: "machine-month", unitPrice: 20.99,
                amount: 83.96, currency: "EUR", converted: 83.96, asOf: "2026-06-15", source: "hetzner.com",
                confidence: "derived"),
            StoredCostItem(
                item: "S3 PUT requests", category: "services", quantity: 1.95, unit: "1,000 requests", unitPrice: nil,
                amount: 0, currency: "USD", converted: 0, asOf: nil, source: nil, confidence: "unverified"),
        ])

    @Test func costsRoundTripAndCascadeWithTheRun() throws {
        let store = try ResultStore.inMemory()
        let ids = try store.save(
            scenarioName: "s", scenarioText: "costs", records: [sampleRecord(), sampleRecord(seed: 2)],
            k3simVersion: "test")
        try store.saveCosts([option], runIDs: ids)
        #expect(try store.costs(runID: ids[0]) == [option])
        #expect(try store.costs(runID: ids[1]) == [option])
        #expect(try count(store, "run_cost_item") == 4)
        try store.dbQueue.write { db in try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [ids[1]]) }
        #expect(try count(store, "run_cost") == 1)
        #expect(try count(store, "run_cost_item") == 2)
        #expect(try store.costs(runID: 999).isEmpty)
        #expect(try store.appliedMigrations().contains("v4-costs"))
    }

    /// A run and its costs are one transaction: costs that cannot be stored (a NaN, refused by
    /// NOT NULL) leave no run behind either.
    @Test func aRunIsSavedWithItsCostsOrNotAtAll() throws {
        let store = try ResultStore.inMemory()
        let ids = try store.save(
            scenarioName: "s", scenarioText: "with costs", records: [sampleRecord()], k3simVersion: "test",
            costs: [option])
        #expect(try store.costs(runID: ids[0]) == [option])
        var broken = option
        broken.monthly = .nan
        #expect(throws: StoreError.self) {
            try store.save(
                scenarioName: "s", scenarioText: "broken costs", records: [sampleRecord(seed: 3)], k3simVersion: "test",
                costs: [broken])
        }
        #expect(try count(store, "run") == 1)
        #expect(try count(store, "scenario") == 1)
    }
}

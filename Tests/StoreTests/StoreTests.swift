import Foundation
import GRDB
import Simulation
import Testing

@testable import Store

/// A RunRecord that exercises every table: two faults with milestones and stats, workloads,
/// series with and without labels (and one without points), notes, and a seed above Int64.max.
func sampleRecord(seed: UInt64 = UInt64.max - 6, scenarioName: String = "zone-outage") -> RunRecord {
    RunRecord(
        scenarioName: scenarioName, seed: seed, source: "simulation",
        simulatedSeconds: 1800.5, wallSeconds: 0.125, events: 48_213,
        workloads: [
            WorkloadResult(
                name: "default/web", kind: "Deployment", desiredReplicas: 3, availability: 0.987654321,
                secondsBelowDesired: 312.25, secondsUnavailable: 0, minReadyReplicas: 2),
            WorkloadResult(
                name: "kube-system/agent", kind: "DaemonSet", desiredReplicas: 4, availability: 1,
                secondsBelowDesired: 0, secondsUnavailable: 0, minReadyReplicas: 4),
            WorkloadResult(
                name: "shop/shop-db", kind: "Cluster", desiredReplicas: 3, availability: 0.99,
                secondsBelowDesired: 61.5, secondsUnavailable: 0, minReadyReplicas: 2,
                secondsWithoutPrimary: 61.5),
        ],
        faults: [
            FaultResult(
                index: 0, action: "stopNode", target: "node-a", at: 60,
                milestones: [
                    Milestone(name: .started, at: 60, mechanism: "fault injected"),
                    Milestone(name: .nodeNotReady, at: 110.004, mechanism: "node-monitor-grace-period 50s"),
                    Milestone(name: .podsEvicted, at: 410.004, mechanism: "tolerationSeconds 300"),
                    Milestone(name: .recovered, at: 431.5, mechanism: "replacements ready"),
                ],
                stats: ["evictedPods": 5, "maxPods": 4, "ratio": 0.1 + 0.2]),
            FaultResult(
                index: 1, action: "rolloutRestart", target: "default/web", at: 900,
                milestones: [Milestone(name: .started, at: 900, mechanism: "rollout restart")],
                stats: ["minAvailable": 2]),
        ],
        controlPlane: ControlPlaneResult(writeUnavailableSeconds: 5.75, leaderChanges: 2),
        pendingPodsAtEnd: 1,
        series: [
            TimeSeries(
                kind: "readyReplicas", entity: "default/web",
                points: [
                    SeriesPoint(t: 0, value: 0), SeriesPoint(t: 12.5, value: 3), SeriesPoint(t: 410.004, value: 2),
                ]),
            TimeSeries(
                kind: "nodeState", entity: "node-a",
                points: [
                    SeriesPoint(t: 0, value: 1, label: "Ready"), SeriesPoint(t: 110.004, value: 0, label: "NotReady"),
                    SeriesPoint(t: 1e300, value: -.infinity, label: ""),
                ]),
            TimeSeries(kind: "pendingPods", entity: "cluster", points: []),
        ],
        notes: ["HorizontalPodAutoscaler default/web is decoded but not simulated", "second note", ""],
        topology: sampleTopology)
}

/// A topology with labelled and unlabelled nodes, taints (one of them an empty string, which
/// must survive), a DaemonSet without a replica count and a workload that requests nothing.
let sampleTopology = RunTopology(
    nodes: [
        RunTopology.Node(
            name: "server-0", pool: "control-plane", instanceType: "cax21", region: "fsn1",
            zone: "fsn1-dc14", allocatableMilliCPU: 4000, allocatableMemoryBytes: 8_484_552_704,
            allocatablePods: 110, taints: ["CriticalAddonsOnly=true:NoExecute", ""]),
        RunTopology.Node(
            name: "node-a", pool: "", allocatableMilliCPU: 3500, allocatableMemoryBytes: Int64.max,
            allocatablePods: 0),
    ],
    workloads: [
        RunTopology.Workload(
            name: "default/web", kind: "Deployment", replicas: 3, requestMilliCPU: 250,
            requestMemoryBytes: 268_435_456),
        RunTopology.Workload(
            name: "kube-system/agent", kind: "DaemonSet", replicas: nil, requestMilliCPU: 0,
            requestMemoryBytes: 0),
    ])

let scenarioText = """
    name: zone-outage
    seed: 42
    faults:
      - at: 60s
        action: stopNode
        target: node-a
    """

/// Counts rows of a table (tests only; the table name is a constant of the test).
func count(_ store: ResultStore, _ table: String) throws -> Int {
    try store.dbQueue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
}

/// A fresh directory for on-disk databases, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

let allTables = [
    "scenario", "run", "workload_result", "fault", "fault_milestone", "fault_stat",
    "series", "series_point", "run_note", "run_topology", "topology_node", "topology_workload",
    "job_result", "cronjob_result", "autoscaler_result", "autoscaler_rescale",
]

@Suite struct ResultStoreTests {
    @Test func roundTripRebuildsTheRecordExactly() throws {
        let store = try ResultStore.inMemory()
        let record = sampleRecord()
        let createdAt = Date(timeIntervalSince1970: 1_750_000_000.125)
        let ids = try store.save(
            scenarioName: "zone-outage", scenarioText: scenarioText, records: [record],
            k3simVersion: "0.1.0", createdAt: createdAt)
        #expect(ids.count == 1)

        let stored = try #require(try store.run(id: ids[0]))
        #expect(stored.record == record)
        #expect(stored.record.seed == UInt64.max - 6)
        #expect(stored.id == ids[0])
        #expect(stored.batchID == nil)
        #expect(stored.scenarioName == "zone-outage")
        #expect(stored.scenarioText == scenarioText)
        #expect(stored.k3simVersion == "0.1.0")
        #expect(abs(stored.createdAt.timeIntervalSince(createdAt)) < 0.001)

        // The bulk rows really are in their tables, not in a blob.
        #expect(try count(store, "fault_milestone") == 5)
        #expect(try count(store, "fault_stat") == 4)
        #expect(try count(store, "series_point") == 6)
        #expect(try count(store, "run_note") == 3)
        #expect(try count(store, "topology_node") == 2)
        #expect(try count(store, "topology_workload") == 2)
        #expect(stored.record.topology == sampleTopology)
        let seed = try store.dbQueue.read { db in try Int64.fetchOne(db, sql: "SELECT seed FROM run") }
        #expect(seed == Int64(bitPattern: UInt64.max - 6))
        let createdText = try store.dbQueue.read { db in try String.fetchOne(db, sql: "SELECT created_at FROM run") }
        #expect(createdText == "2025-06-15T15:06:40.125Z")
    }

    @Test func emptyArraysAndSeedZeroRoundTrip() throws {
        let store = try ResultStore.inMemory()
        let record = RunRecord(
            scenarioName: "empty", seed: 0, source: "live", simulatedSeconds: 0, wallSeconds: 0,
            events: 0, workloads: [], faults: [], controlPlane: ControlPlaneResult(),
            pendingPodsAtEnd: 0, series: [], notes: [])
        let ids = try store.save(scenarioName: "empty", scenarioText: "", records: [record], k3simVersion: "dev")
        #expect(try store.run(id: ids[0])?.record == record)
        #expect(try store.run(id: ids[0] + 1) == nil)

        // No topology and an empty topology are different records, and both read back as written.
        var empty = record
        empty.topology = RunTopology()
        let more = try store.save(scenarioName: "empty", scenarioText: "", records: [record, empty], k3simVersion: "dev")
        #expect(try store.run(id: more[0])?.record.topology == nil)
        #expect(try store.run(id: more[1])?.record.topology == RunTopology())
    }

    @Test func sameScenarioTextIsStoredOnce() throws {
        let store = try ResultStore.inMemory()
        let first = try store.save(
            scenarioName: "zone-outage", scenarioText: scenarioText,
            records: [sampleRecord()], k3simVersion: "0.1.0")
        let second = try store.save(
            scenarioName: "renamed", scenarioText: scenarioText,
            records: [sampleRecord(scenarioName: "renamed")], k3simVersion: "0.1.0")
        #expect(try count(store, "scenario") == 1)
        #expect(try count(store, "run") == 2)
        // The scenario keeps its first name; each record keeps its own.
        let run = try #require(try store.run(id: second[0]))
        #expect(run.scenarioName == "zone-outage")
        #expect(run.record.scenarioName == "renamed")
        #expect(first[0] != second[0])

        _ = try store.save(
            scenarioName: "other", scenarioText: scenarioText + "\n", records: [sampleRecord()],
            k3simVersion: "0.1.0")
        #expect(try count(store, "scenario") == 2)
    }

    @Test func batchOfThreeSharesTheFirstRunsID() throws {
        let store = try ResultStore.inMemory()
        let records = (0..<3).map { sampleRecord(seed: UInt64($0) + 100) }
        let ids = try store.save(
            scenarioName: "zone-outage", scenarioText: scenarioText, records: records,
            k3simVersion: "0.1.0")
        #expect(ids.count == 3)
        let batch = try store.batch(id: ids[0])
        #expect(batch.map(\.id) == ids)
        #expect(batch.allSatisfy { $0.batchID == ids[0] })
        #expect(batch.map(\.record) == records)
        let batchIDs = try store.dbQueue.read { db in
            try Int64.fetchSet(db, sql: "SELECT batch_id FROM run")
        }
        #expect(batchIDs == [ids[0]])
        // A later run of the batch is not a batch id; a single run is a batch of one.
        #expect(try store.batch(id: ids[1]).isEmpty)
        let single = try store.save(
            scenarioName: "zone-outage", scenarioText: scenarioText,
            records: [sampleRecord()], k3simVersion: "0.1.0")
        #expect(try store.batch(id: single[0]).map(\.id) == single)
        #expect(try store.run(id: single[0])?.batchID == nil)
    }

    @Test func runsAreListedNewestFirst() throws {
        let store = try ResultStore.inMemory()
        #expect(try store.latestRunID() == nil)
        #expect(try store.runs().isEmpty)
        let old = try store.save(
            scenarioName: "a", scenarioText: "a", records: [sampleRecord(seed: 1)],
            k3simVersion: "0.1.0", createdAt: Date(timeIntervalSince1970: 1_000))
        let batch = try store.save(
            scenarioName: "b", scenarioText: "b",
            records: [sampleRecord(seed: 2), sampleRecord(seed: 3)],
            k3simVersion: "0.1.0", createdAt: Date(timeIntervalSince1970: 2_000))
        let all = try store.runs()
        #expect(all.map(\.id) == [batch[1], batch[0], old[0]])
        #expect(all.map(\.scenarioName) == ["b", "b", "a"])
        #expect(all.map(\.seed) == [3, 2, 1])
        #expect(all[0].batchID == batch[0])
        #expect(all[2].batchID == nil)
        #expect(all[2].createdAt == Date(timeIntervalSince1970: 1_000))
        #expect(all[0].source == "simulation")
        #expect(all[0].events == 48_213)
        #expect(all[0].simulatedSeconds == 1800.5)
        #expect(all[0].wallSeconds == 0.125)
        #expect(try store.runs(limit: 1).map(\.id) == [batch[1]])
        #expect(try store.latestRunID() == batch[1])
    }

    @Test func aFailureInTheMiddleWritesNothing() throws {
        let store = try ResultStore.inMemory()
        var duplicateFault = sampleRecord(seed: 2)
        duplicateFault.faults[1].index = 0  // violates PRIMARY KEY (run_id, fault_index)
        let records = [sampleRecord(seed: 1), duplicateFault, sampleRecord(seed: 3)]
        let error = #expect(throws: StoreError.self) {
            try store.save(
                scenarioName: "zone-outage", scenarioText: scenarioText, records: records,
                k3simVersion: "0.1.0")
        }
        #expect(error?.message.hasPrefix("cannot save 3 runs of scenario \"zone-outage\"") == true)
        #expect(error?.message.contains("UNIQUE constraint failed: fault.run_id, fault.fault_index") == true)
        #expect(error?.underlying is DatabaseError)
        for table in allTables {
            #expect(try count(store, table) == 0, "table \(table) is not empty")
        }

        // NaN cannot be stored: rejected by NOT NULL, again with nothing written.
        var nan = sampleRecord(seed: 4)
        nan.workloads[1].availability = .nan
        let nanError = #expect(throws: StoreError.self) {
            try store.save(
                scenarioName: "zone-outage", scenarioText: scenarioText,
                records: [sampleRecord(seed: 5), nan], k3simVersion: "0.1.0")
        }
        #expect(nanError?.message.contains("workload_result.availability") == true)
        for table in allTables {
            #expect(try count(store, table) == 0, "table \(table) is not empty")
        }

        // The store is still usable afterwards.
        let ids = try store.save(
            scenarioName: "zone-outage", scenarioText: scenarioText,
            records: [sampleRecord()], k3simVersion: "0.1.0")
        #expect(try store.run(id: ids[0])?.record == sampleRecord())
    }

    @Test func reopenedFileKeepsItsData() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("k3sim.sqlite").path

        let ids: [Int64]
        do {
            let store = try ResultStore(path: path)
            ids = try store.save(
                scenarioName: "zone-outage", scenarioText: scenarioText,
                records: [sampleRecord(seed: 1), sampleRecord(seed: 2)], k3simVersion: "0.1.0")
            #expect(
                try store.appliedMigrations() == [
                    "v1", "v2", "v3-primary", "v4-costs", "v5-live-validations", "v6-shards", "v7-jobs",
                    "v8-autoscalers",
                ])
        }
        #expect(FileManager.default.fileExists(atPath: path))

        let reopened = try ResultStore(path: path)
        #expect(
            try reopened.appliedMigrations() == [
                "v1", "v2", "v3-primary", "v4-costs", "v5-live-validations", "v6-shards", "v7-jobs",
                "v8-autoscalers",
            ])
        #expect(try reopened.runs().count == 2)
        #expect(try reopened.batch(id: ids[0]).map(\.record) == [sampleRecord(seed: 1), sampleRecord(seed: 2)])
        let more = try reopened.save(
            scenarioName: "zone-outage", scenarioText: scenarioText,
            records: [sampleRecord(seed: 3)], k3simVersion: "0.1.1")
        #expect(more[0] > ids[1])
        #expect(try count(reopened, "scenario") == 1)
        let migrationRows = try reopened.dbQueue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations")
        }
        #expect(migrationRows == 8)
    }

    /// A database made by a version that knew only v1 gains the v2 tables when opened, and its
    /// old runs read back unchanged, without a topology.
    @Test func aV1DatabaseMigratesToV2() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("old.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v1")
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO scenario (id, name, content_hash, text, created_at)
                        VALUES (1, 'zone-outage', 'x', 'text', '2025-01-01T00:00:00.000Z');
                        INSERT INTO run (id, scenario_id, scenario_name, seed, source, k3sim_version, created_at,
                            simulated_seconds, wall_seconds, events, pending_pods_at_end, write_unavailable_seconds,
                            leader_changes)
                        VALUES (1, 1, 'zone-outage', 9, 'simulation', '0.1.0', '2025-01-01T00:00:00.000Z',
                            1800.5, 0.125, 48213, 1, 5.75, 2);
                        """)
            }
        }
        let store = try ResultStore(path: path)
        #expect(
            try store.appliedMigrations() == [
                "v1", "v2", "v3-primary", "v4-costs", "v5-live-validations", "v6-shards", "v7-jobs",
                "v8-autoscalers",
            ])
        let run = try #require(try store.run(id: 1))
        #expect(run.record.topology == nil)
        #expect(run.record.seed == 9)
        let ids = try store.save(
            scenarioName: "zone-outage", scenarioText: "text", records: [sampleRecord()],
            k3simVersion: "0.1.1")
        #expect(try store.run(id: ids[0])?.record == sampleRecord())
    }

    @Test func deletingARunCascades() throws {
        let store = try ResultStore.inMemory()
        let ids = try store.save(
            scenarioName: "zone-outage", scenarioText: scenarioText,
            records: [sampleRecord(seed: 1), sampleRecord(seed: 2)], k3simVersion: "0.1.0")
        try store.dbQueue.write { db in try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [ids[0]]) }
        // The first run names the batch, so the whole batch and all its rows go.
        for table in allTables where table != "scenario" {
            #expect(try count(store, table) == 0, "table \(table) is not empty")
        }
        #expect(try count(store, "scenario") == 1)
    }

    @Test func badPathGivesStoreError() throws {
        let path = "/nonexistent-\(UUID().uuidString)/results/k3sim.sqlite"
        let error = #expect(throws: StoreError.self) { try ResultStore(path: path) }
        #expect(error?.message.hasPrefix("cannot open results database at \(path): ") == true)
        #expect(error.map { String(describing: $0) } == error?.message)
    }

    @Test func contentHashIsFNV1a64() {
        #expect(ContentHash.fnv1a64("") == "cbf29ce484222325")
        #expect(ContentHash.fnv1a64("a") == "af63dc4c8601ec8c")
        #expect(ContentHash.fnv1a64("foobar") == "85944171f73967e8")
        #expect(ContentHash.fnv1a64(scenarioText).count == 16)
    }
}

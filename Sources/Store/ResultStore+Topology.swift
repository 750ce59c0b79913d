import Foundation
import GRDB
import Simulation

/// Writing and reading `RunRecord.topology` (migration v2: `run_topology`, `topology_node`,
/// `topology_workload`). Kept apart from the v1 tables' code so the original save and read
/// paths stay as they were, with one call each into here.
extension ResultStore {
    static func insertTopology(_ db: Database, of record: RunRecord, runID: Int64) throws {
        guard let topology = record.topology else { return }
        try db.cachedStatement(sql: "INSERT INTO run_topology (run_id) VALUES (?)").execute(arguments: [runID])

        let node = try db.cachedStatement(
            sql: """
                INSERT INTO topology_node (run_id, seq, name, pool, instance_type, region, zone, allocatable_millicpu,
                    allocatable_memory_bytes, allocatable_pods, taints)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (seq, n) in topology.nodes.enumerated() {
            try node.execute(arguments: [
                runID, seq, n.name, n.pool, n.instanceType, n.region, n.zone,
                n.allocatableMilliCPU, n.allocatableMemoryBytes, n.allocatablePods,
                try encodeList(n.taints),
            ])
        }

        let workload = try db.cachedStatement(
            sql: """
                INSERT INTO topology_workload (run_id, seq, name, kind, replicas, request_millicpu, request_memory_bytes)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        for (seq, w) in topology.workloads.enumerated() {
            try workload.execute(arguments: [
                runID, seq, w.name, w.kind, w.replicas, w.requestMilliCPU,
                w.requestMemoryBytes,
            ])
        }
    }

    /// The run's topology, or nil for a run saved without one (such as a run saved before migration v2).
    static func topology(_ db: Database, _ runID: Int64) throws -> RunTopology? {
        let marker = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT run_id FROM run_topology WHERE run_id = ?"),
            arguments: [runID])
        guard marker != nil else { return nil }

        let nodeRows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT name, pool, instance_type, region, zone, allocatable_millicpu, allocatable_memory_bytes,
                           allocatable_pods, taints
                    FROM topology_node WHERE run_id = ? ORDER BY seq
                    """), arguments: [runID])
        let nodes = try nodeRows.map { row in
            RunTopology.Node(
                name: row["name"], pool: row["pool"], instanceType: row["instance_type"],
                region: row["region"], zone: row["zone"],
                allocatableMilliCPU: row["allocatable_millicpu"],
                allocatableMemoryBytes: row["allocatable_memory_bytes"],
                allocatablePods: row["allocatable_pods"], taints: try decodeList(row["taints"]))
        }

        let workloadRows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT name, kind, replicas, request_millicpu, request_memory_bytes
                    FROM topology_workload WHERE run_id = ? ORDER BY seq
                    """), arguments: [runID])
        let workloads = workloadRows.map { row in
            RunTopology.Workload(
                name: row["name"], kind: row["kind"], replicas: row["replicas"],
                requestMilliCPU: row["request_millicpu"],
                requestMemoryBytes: row["request_memory_bytes"])
        }
        return RunTopology(nodes: nodes, workloads: workloads)
    }

    /// A string list as a JSON array: exact for every list (an empty string stays an element).
    private static func encodeList(_ list: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
    }

    private static func decodeList(_ text: String) throws -> [String] {
        do {
            return try JSONDecoder().decode([String].self, from: Data(text.utf8))
        } catch {
            throw StoreError(
                "cannot read a node's taints \"\(text)\" from the results database: not a JSON list",
                underlying: error)
        }
    }
}

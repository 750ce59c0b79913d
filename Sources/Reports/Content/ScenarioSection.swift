import Simulation
import Store

/// The "what was simulated" part of a report: platform facts, the machines and the workloads with their requests.
///
/// Shared by the run and Monte Carlo reports.
enum ScenarioSection {
    static func facts(_ run: StoredRun, facts: ScenarioFacts) -> [(String, RichText)] {
        let r = run.record
        var out: [(String, RichText)] = [("Scenario", .code(r.scenarioName))]
        if let d = facts.description { out.append(("Description", RichText(d))) }
        out.append(("Platform", RichText(facts.platformLine ?? "not stated in the stored scenario")))
        if let ds = facts.datastore { out.append(("Control-plane datastore", RichText(ds))) }
        out.append(
            (
                "Simulated time",
                RichText("\(Fmt.duration(r.simulatedSeconds)) (\(Fmt.trimmed(r.simulatedSeconds, decimals: 1)) s)")
            ))
        out.append(("Seed", RichText("\(r.seed)")))
        out.append(("Source", RichText(r.source == "live" ? "live drill (observed on a real cluster)" : "simulation")))
        out.append(
            (
                "Run",
                RichText(
                    "#\(run.id)" + (run.batchID.map { " (batch #\($0))" } ?? "")
                        + ", \(r.events) events, k3sim \(run.k3simVersion)")
            ))
        return out
    }

    /// The node table and the workload table, or a notice when the run has no topology.
    static func blocks(_ record: RunRecord) -> [ReportBlock] {
        guard let topology = record.topology else {
            return [
                .notice(
                    title: "Topology not recorded",
                    text: "this run was stored before k3sim recorded nodes and workload requests with each run; "
                        + "run the scenario again to see them here.")
            ]
        }
        return [.heading("Nodes"), .table(nodeTable(topology)), .heading("Workloads"), .table(workloadTable(topology, record))]
    }

    static func nodeTable(_ t: RunTopology) -> ReportTable {
        var rows: [[RichText]] = t.nodes.map { n in
            [
                .code(n.name), RichText(n.pool.isEmpty ? "—" : n.pool), RichText(n.instanceType ?? "—"),
                RichText(n.region ?? "—"), RichText(n.zone ?? "—"), RichText(Fmt.cpu(n.allocatableMilliCPU)),
                RichText(Fmt.memory(n.allocatableMemoryBytes)), RichText("\(n.allocatablePods)"),
                RichText(n.taints.isEmpty ? "—" : n.taints.joined(separator: ", ")),
            ]
        }
        let cpu = t.nodes.reduce(Int64(0)) { $0 + $1.allocatableMilliCPU }
        let memory = t.nodes.reduce(Int64(0)) { $0 + $1.allocatableMemoryBytes }
        let pods = t.nodes.reduce(0) { $0 + $1.allocatablePods }
        rows.append([
            .strong("total (\(Fmt.count(t.nodes.count, "node")))"), "", "", "", "",
            .strong(Fmt.cpu(cpu)), .strong(Fmt.memory(memory)), .strong("\(pods)"), "",
        ])
        return ReportTable(
            header: ["node", "pool", "server type", "location", "zone", "CPU (cores)", "memory", "pods", "taints"],
            rows: rows, numeric: [5, 6, 7],
            caption: "Allocatable is what the scheduler can place: capacity minus system reservations and eviction threshold.")
    }

    static func workloadTable(_ t: RunTopology, _ record: RunRecord) -> ReportTable {
        let nodeCount = t.nodes.count
        var totalCPU: Int64 = 0, totalMemory: Int64 = 0
        var rows: [[RichText]] = t.workloads.map { w in
            // A DaemonSet's replica count is what the run ended with (one per eligible node).
            let replicas = w.replicas ?? record.workloads.first { $0.name == w.name }?.desiredReplicas ?? nodeCount
            totalCPU += w.requestMilliCPU * Int64(replicas)
            totalMemory += w.requestMemoryBytes * Int64(replicas)
            return [
                .code(w.name), RichText(w.kind),
                RichText(w.replicas.map { "\($0)" } ?? "\(replicas) (one per node)"),
                RichText(Fmt.cpuRequest(w.requestMilliCPU)), RichText(Fmt.memory(w.requestMemoryBytes)),
                RichText(Fmt.cpu(w.requestMilliCPU * Int64(replicas))),
                RichText(Fmt.memory(w.requestMemoryBytes * Int64(replicas))),
            ]
        }
        let allocCPU = t.nodes.reduce(Int64(0)) { $0 + $1.allocatableMilliCPU }
        let allocMemory = t.nodes.reduce(Int64(0)) { $0 + $1.allocatableMemoryBytes }
        rows.append([.strong("total requested"), "", "", "", "", .strong(Fmt.cpu(totalCPU)), .strong(Fmt.memory(totalMemory))])
        if allocCPU > 0 && allocMemory > 0 {
            rows.append([
                "share of allocatable", "", "", "", "",
                RichText(Fmt.percent(Double(totalCPU) / Double(allocCPU))),
                RichText(Fmt.percent(Double(totalMemory) / Double(allocMemory))),
            ])
        }
        return ReportTable(
            header: ["workload", "kind", "replicas", "CPU request", "memory request", "CPU total (cores)", "memory total"],
            rows: rows, numeric: [2, 3, 4, 5, 6],
            caption: "Requests are per replica (the pod's effective request, as the scheduler counts it).")
    }

    /// The stored scenario file, verbatim.
    static func file(_ run: StoredRun) -> ReportBlock {
        .code(summary: "Scenario file as stored with run #\(run.id)", language: "yaml", text: run.scenarioText)
    }
}

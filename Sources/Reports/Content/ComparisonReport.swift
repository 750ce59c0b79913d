import Simulation
import Store

/// Several runs side by side, one column per run (platform, scenario): availability and
/// recovery times in the same rows, so the differences are read across a line.
enum ComparisonReport {
    /// `costs[i]` are the costs stored with `runs[i]`.
    static func document(_ runs: [StoredRun], costs: [RunCosts]) -> ReportDocument {
        let facts = runs.map { ScenarioFacts(text: $0.scenarioText) }
        let header = [""] + runs.map { "#\($0.id) \($0.record.scenarioName)" }
        let sections = [
            ReportSection(
                id: "runs", title: "Runs compared", blocks: [.table(overview(runs, facts, costs: costs, header: header))]),
            ReportSection(
                id: "availability", title: "Availability per workload", blocks: [.table(availability(runs, header: header))]),
            ReportSection(id: "recovery", title: "Recovery after each fault", blocks: recovery(runs, header: header)),
            ReportSection(id: "cost", title: "Cost", blocks: CostSection.comparison(runs, costs: costs, header: header)),
        ]
        return ReportDocument(
            kind: .comparison, title: "Comparison of \(Fmt.count(runs.count, "run"))",
            subtitle: RichText(
                runs.map { "#\($0.id) \($0.record.scenarioName) (seed \($0.record.seed))" }.joined(separator: " · ")),
            sections: sections)
    }

    static func overview(_ runs: [StoredRun], _ facts: [ScenarioFacts], costs: [RunCosts], header: [String]) -> ReportTable {
        func row(_ label: String, _ cell: (Int) -> RichText) -> [RichText] { [.strong(label)] + runs.indices.map(cell) }
        let rows: [[RichText]] = [
            row("platform") { RichText(facts[$0].platformLine ?? "not stated") },
            row("description") { RichText(facts[$0].description ?? "—") },
            row("nodes") { i in RichText(nodeSummary(runs[i].record)) },
            row("source") { RichText(runs[$0].record.source) },
            row("seed") { RichText("\(runs[$0].record.seed)") },
            row("simulated time") { RichText(Fmt.duration(runs[$0].record.simulatedSeconds)) },
            row("faults") { i in
                RichText(runs[i].record.faults.map { "F\($0.index) \($0.action) \($0.target)" }.joined(separator: "; "))
            },
            row("lowest availability") { i in
                RichText(runs[i].record.workloads.map(\.availability).min().map(Fmt.percent) ?? "—")
            },
            row("pending pods at the end") { RichText("\(runs[$0].record.pendingPodsAtEnd)") },
            row("monthly cost") { CostSection.comparisonCell(costs[$0]) },
        ]
        return ReportTable(header: header, rows: rows)
    }

    /// "7 nodes: 3 × cax21, 4 × cax31", from the recorded topology.
    static func nodeSummary(_ r: RunRecord) -> String {
        guard let t = r.topology else { return "not recorded" }
        var types: [String] = []
        var counts: [String: Int] = [:]
        for n in t.nodes {
            let type = n.instanceType ?? "unlabelled"
            if counts[type] == nil { types.append(type) }
            counts[type, default: 0] += 1
        }
        return Fmt.count(t.nodes.count, "node") + (types.isEmpty ? "" : ": ")
            + types.map { "\(counts[$0] ?? 0) × \($0)" }.joined(separator: ", ")
    }

    static func availability(_ runs: [StoredRun], header: [String]) -> ReportTable {
        var names: [String] = []
        for r in runs { for w in r.record.workloads where !names.contains(w.name) { names.append(w.name) } }
        let rows = names.map { name -> [RichText] in
            [.code(name)]
                + runs.map { run in
                    RichText(run.record.workloads.first { $0.name == name }.map { Fmt.percent($0.availability) } ?? "—")
                }
        }
        return ReportTable(
            header: header, rows: rows, numeric: Set(1...max(1, runs.count)),
            caption: "Time average of min(ready, desired) / desired; — where the run has no such workload.")
    }

    /// Rows keyed by (fault index, action, target, milestone): the same fault in two runs lines up.
    static func recovery(_ runs: [StoredRun], header: [String]) -> [ReportBlock] {
        var keys: [String] = []
        var cells: [String: [Int: String]] = [:]
        var bars: [GanttRow] = []
        for (col, run) in runs.enumerated() {
            for f in run.record.faults {
                for m in f.milestones {
                    // Faults are matched by index and action, not target: the same drill on another
                    // platform names other nodes (the overview lists each run's targets).
                    let key = "F\(f.index) \(f.action) · \(m.name)"
                    if cells[key] == nil { keys.append(key) }
                    cells[key, default: [:]][col] = Fmt.after(m.at - f.at)
                }
                if let end = RecoveryAnalysis.endMilestone(of: f) {
                    bars.append(
                        GanttRow(
                            label: "#\(run.id) F\(f.index) \(f.action)",
                            segments: [GanttSegment(start: 0, end: end.at - f.at, category: "time after the fault")],
                            note: "\(end.name) \(Fmt.after(end.at - f.at))"))
                }
            }
        }
        guard !keys.isEmpty else { return [.paragraph("None of the runs reached a fault milestone.")] }
        let rows = keys.map { key in [RichText(key)] + runs.indices.map { RichText(cells[key]?[$0] ?? "—") } }
        var blocks: [ReportBlock] = [
            .table(
                ReportTable(
                    header: header, rows: rows, numeric: Set(1...max(1, runs.count)),
                    caption: "Seconds after the fault; — where the run has no such milestone."))
        ]
        if !bars.isEmpty {
            let last = max(1, bars.flatMap { $0.segments.map(\.end) }.max() ?? 1)
            let chart = GanttChart(
                id: "comparison-recovery", kind: "comparison", title: "Time until each fault's effect was over, per run",
                description: bars.map { "\($0.label): \($0.note ?? "")" }.joined(separator: "; "),
                x: .time("time after the fault", lower: 0, upper: last),
                categories: [GanttCategory("time after the fault", .neutral)], rows: bars, labelSegments: false,
                showLegend: false)
            blocks.append(
                .chart(
                    ReportChart(
                        id: chart.id, kind: "comparison",
                        caption: "Time from each fault to recovered (or rollout completed), per run",
                        svg: chart.render(), summary: bars.map { RichText("\($0.label): \($0.note ?? "")") })))
        }
        return blocks
    }
}

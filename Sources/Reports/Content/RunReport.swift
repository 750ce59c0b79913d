import Simulation
import Store

/// The report of one stored run: what was simulated, what failed, when each workload was back
/// and why it took that long, availability, and the charts over time.
///
/// Section order follows the questions a reviewer asks, most important first; details
/// (topology, the scenario file) come after the answers.
enum RunReport {
    /// `costs` are what the store holds beside the run (`ResultStore.costs(runID:)`).
    static func document(_ run: StoredRun, costs: RunCosts) -> ReportDocument {
        let r = run.record
        let facts = ScenarioFacts(text: run.scenarioText)
        var sections = [
            ReportSection(id: "glance", title: "At a glance", blocks: [.list(glance(r, costs: costs))]),
            ReportSection(id: "drill", title: "Failure drill timeline", blocks: drill(r)),
            ReportSection(id: "availability", title: "Availability per workload", blocks: [.table(availability(r))]),
        ]
        if let jobs = JobSection.section(r) { sections.append(jobs) }
        if let autoscalers = AutoscalerSection.section(r) { sections.append(autoscalers) }
        sections += [
            ReportSection(id: "charts", title: "Over the whole run", blocks: charts(r)),
            ReportSection(
                id: "scenario", title: "Scenario and platform",
                blocks: [.facts(ScenarioSection.facts(run, facts: facts))] + ScenarioSection.blocks(r)),
            ReportSection(id: "control-plane", title: "Control plane", blocks: controlPlane(r)),
            ReportSection(id: "cost", title: "Cost", blocks: CostSection.blocks(costs, run: run)),
        ]
        if !r.notes.isEmpty {
            sections.append(
                ReportSection(id: "notes", title: "Notes from the run", blocks: [.list(r.notes.map { RichText($0) })]))
        }
        sections.append(ReportSection(id: "scenario-file", title: "Scenario file", blocks: [ScenarioSection.file(run)]))
        let what = r.source == "live" ? "live drill" : "simulated run"
        return ReportDocument(
            kind: .run, title: "\(r.scenarioName): \(what) #\(run.id)",
            subtitle: RichText(
                (facts.description.map { $0 + ". " } ?? "")
                    + "\(facts.platformLine.map { $0 + "; " } ?? "")seed \(r.seed), \(Fmt.duration(r.simulatedSeconds)) \(r.source == "live" ? "observed" : "simulated")."
            ),
            sections: sections)
    }

    // MARK: at a glance

    /// The answers in five lines: what failed, when things were back, why it took that long,
    /// the worst availability, and the cost stored with the run.
    static func glance(_ r: RunRecord, costs: RunCosts) -> [RichText] {
        var lines: [RichText] = []
        if r.faults.isEmpty { lines.append("No fault was injected; the run measures the steady state.") }
        for f in r.faults {
            var line =
                RichText.strong("F\(f.index): \(f.action) \(f.target)")
                + " at \(Fmt.clock(f.at)) (\(Fmt.seconds(f.at)) into the run)."
            let impacts = RecoveryAnalysis.impacts(of: f, in: r, until: RecoveryAnalysis.windowEnd(of: f, in: r))
            if impacts.isEmpty {
                line = line + " No workload went below its desired replicas."
            } else {
                let back = impacts.compactMap { i in i.backAt.map { $0 - f.at } }
                let notBack = impacts.filter { $0.backAt == nil }.map(\.workload)
                line = line + " \(Fmt.count(impacts.count, "workload")) went below desired"
                if let last = back.max() { line = line + "; " + .strong("all back by \(Fmt.after(last))") }
                if !notBack.isEmpty { line = line + "; not back by the end: \(notBack.joined(separator: ", "))" }
                line = line + "."
            }
            if let end = RecoveryAnalysis.endMilestone(of: f) {
                line = line + " Milestone " + .code(end.name.rawValue) + " at \(Fmt.after(end.at - f.at))."
            }
            lines.append(line)
            if let step = RecoveryAnalysis.longestStep(of: f) {
                lines.append(
                    "Why F\(f.index) took that long: the longest step, " + .code(step.from) + " → " + .code(step.to.name.rawValue)
                        + ", took " + .strong(Fmt.seconds(step.seconds)) + ": \(step.to.mechanism).")
            }
        }
        if let worst = r.workloads.min(by: { ($0.availability, $0.name) < ($1.availability, $1.name) }) {
            var line = RichText("Lowest availability: ") + .code(worst.name) + " " + .strong(Fmt.percent(worst.availability))
            if worst.secondsUnavailable > 0 {
                line = line + " (\(Fmt.seconds(worst.secondsUnavailable)) without any ready replica)"
            }
            lines.append(line + ".")
        }
        lines.append(RichText("Pending pods at the end: \(r.pendingPodsAtEnd)."))
        lines.append(CostSection.glance(costs, record: r))
        return lines
    }

    // MARK: drill

    static func drill(_ r: RunRecord) -> [ReportBlock] {
        guard !r.faults.isEmpty else { return [.paragraph("This run injected no fault.")] }
        var blocks: [ReportBlock] = [
            .paragraph(
                "Each milestone is given in seconds after its fault, with the Kubernetes mechanism and parameter that set its time. "
                    + "A milestone that never happened is absent.")
        ]
        for f in r.faults {
            blocks.append(.heading("F\(f.index): \(f.action) \(f.target) at \(Fmt.clock(f.at))"))
            if f.milestones.isEmpty {
                blocks.append(.paragraph("No milestone was reached."))
            } else {
                blocks.append(
                    .table(
                        ReportTable(
                            header: ["milestone", "after the fault", "run time", "mechanism and parameter"],
                            rows: f.milestones.map { m in
                                [
                                    .code(m.name.rawValue), RichText(Fmt.after(m.at - f.at)), RichText(Fmt.clock(m.at)),
                                    RichText(m.mechanism),
                                ]
                            },
                            numeric: [1, 2])))
                blocks.append(.chart(RunCharts.milestones(f, id: "milestones-\(f.index)")))
            }
            if !f.stats.isEmpty {
                blocks.append(
                    .paragraph(
                        "Figures: "
                            + f.stats.keys.sorted().map { "\($0) \(Fmt.trimmed(f.stats[$0] ?? 0, decimals: 3))" }
                            .joined(separator: ", ") + "."))
            }
            blocks += impactBlocks(f, r)
        }
        return blocks
    }

    /// Which workloads the fault took below desired, and a zoomed chart of each around the fault.
    static func impactBlocks(_ f: FaultResult, _ r: RunRecord) -> [ReportBlock] {
        let impacts = RecoveryAnalysis.impacts(of: f, in: r, until: RecoveryAnalysis.windowEnd(of: f, in: r))
        guard !impacts.isEmpty else { return [.paragraph("No workload went below its desired ready replicas.")] }
        let table = ReportTable(
            header: [
                "workload", "desired", "first below desired", "dips", "lowest ready", "back at desired", "after the fault",
                "time below desired",
            ],
            rows: impacts.map { i in
                [
                    .code(i.workload), RichText("\(i.desired)"), RichText(Fmt.clock(i.droppedAt)), RichText("\(i.dips)"),
                    RichText("\(i.lowest) at \(Fmt.clock(i.lowestAt))"),
                    RichText(i.backAt.map(Fmt.clock) ?? "not by the end"),
                    RichText(i.backAt.map { Fmt.after($0 - f.at) } ?? "—"), RichText(Fmt.seconds(i.secondsBelow)),
                ]
            },
            numeric: [1, 2, 3, 4, 5, 6, 7],
            caption: "Workloads that went below their desired ready replicas after F\(f.index); "
                + "back at desired is after the last dip")
        let ends = impacts.compactMap(\.backAt) + [RecoveryAnalysis.endMilestone(of: f)?.at ?? f.at]
        let end = max(ends.max() ?? f.at, f.at + 1)
        let pad = max(5, (end - f.at) * 0.08)
        let window = max(0, f.at - pad)...min(r.simulatedSeconds, end + pad)
        let charts = RunCharts.readyReplicas(
            r, idPrefix: "fault-\(f.index)-ready", kind: "ready-replicas-fault",
            window: window, only: impacts.map(\.workload), fault: f)
        return [.table(table), .chartGrid(charts)]
    }

    // MARK: availability, charts, control plane

    static func availability(_ r: RunRecord) -> ReportTable {
        ReportTable(
            header: ["workload", "kind", "desired", "availability", "below desired", "no ready replica", "fewest ready"],
            rows: r.workloads.map { w in
                [
                    .code(w.name), RichText(w.kind), RichText("\(w.desiredReplicas)"), RichText(Fmt.percent(w.availability)),
                    RichText(Fmt.seconds(w.secondsBelowDesired)), RichText(Fmt.seconds(w.secondsUnavailable)),
                    RichText("\(w.minReadyReplicas)"),
                ]
            },
            numeric: [2, 3, 4, 5, 6],
            caption: "Measured from when each workload first reached its desired replicas; availability is the time average of "
                + "min(ready, desired) / desired.")
    }

    static func charts(_ r: RunRecord) -> [ReportBlock] {
        var blocks: [ReportBlock] = [
            .heading("Ready replicas per workload"),
            .paragraph("Dashed vertical lines mark the faults (F0, F1, …); the dashed horizontal line is the desired count."),
        ]
        let ready = RunCharts.readyReplicas(r, idPrefix: "ready", kind: "ready-replicas", window: 0...max(r.simulatedSeconds, 1))
        blocks.append(ready.isEmpty ? .paragraph("The run has no workloads.") : .chartGrid(ready))
        blocks.append(.heading("Node states"))
        if let nodes = RunCharts.nodeStates(r, id: "node-states") {
            blocks.append(.chart(nodes))
        } else {
            blocks.append(.paragraph("The run recorded no node states."))
        }
        blocks.append(.heading("Pending pods"))
        if let pending = RunCharts.pendingPods(r, id: "pending-pods") {
            blocks.append(.chart(pending))
        } else {
            blocks.append(.paragraph("The run recorded no pending pods series."))
        }
        return blocks
    }

    static func controlPlane(_ r: RunRecord) -> [ReportBlock] {
        var blocks: [ReportBlock] = [
            .facts([
                ("API writes unavailable", RichText(Fmt.seconds(r.controlPlane.writeUnavailableSeconds))),
                ("etcd leader changes", RichText("\(r.controlPlane.leaderChanges)")),
            ])
        ]
        if let chart = RunCharts.etcdLeader(r, id: "etcd-leader") {
            blocks.append(.chart(chart))
        } else {
            blocks.append(
                .notice(
                    title: "No control-plane timeline",
                    text: "this run recorded no etcd leader series (it was stored before k3sim modelled the "
                        + "control plane, or the cluster has no control-plane servers), so only the totals are shown."))
        }
        blocks.append(
            .notice(
                title: "Comes later",
                text: "etcd quorum (members reachable) and API server availability over time are not recorded "
                    + "as series yet; the chart shows the leader, which is what decides whether etcd takes writes."))
        return blocks
    }
}

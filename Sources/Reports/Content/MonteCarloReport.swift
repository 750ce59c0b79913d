import Simulation
import Store

/// The report of a `--runs N` batch: how recovery times and availability are distributed over the seeds.
///
/// p50 and p95 are marked. One run's timeline can be lucky; the distribution says what to expect
/// and what to plan for.
enum MonteCarloReport {
    /// `costs` are the ones stored with the batch's first run: every run of a batch has the same
    /// platform.
    static func document(_ runs: [StoredRun], costs: RunCosts) -> ReportDocument {
        let first = runs[0]
        let records = runs.map(\.record)
        let facts = ScenarioFacts(text: first.scenarioText)
        let seeds = records.map(\.seed)
        let sections = [
            ReportSection(
                id: "glance", title: "At a glance",
                blocks: [.list(glance(records) + [CostSection.glance(costs, record: first.record)])]),
            ReportSection(id: "recovery", title: "Recovery times over \(runs.count) runs", blocks: recovery(records)),
            ReportSection(id: "availability", title: "Availability over \(runs.count) runs", blocks: availability(records)),
            ReportSection(
                id: "method", title: "How to read this",
                blocks: [
                    .list([
                        RichText(
                            "Every run simulates the same scenario with another seed (\(seeds.min() ?? 0)–\(seeds.max() ?? 0)); "
                                + "randomness comes from image pulls, container starts, readiness and lease phases."),
                        "p50 is the median; p95 is the value 95 % of the runs stay at or below. Percentiles interpolate linearly "
                            + "between the sorted values (type 7, as numpy).",
                        "A milestone missing in some runs is counted over the runs that reached it (column runs).",
                        "Charts are drawn only for figures that vary between runs.",
                    ])
                ]),
            ReportSection(
                id: "scenario", title: "Scenario and platform",
                blocks: [.facts(ScenarioSection.facts(first, facts: facts))] + ScenarioSection.blocks(first.record)),
            ReportSection(id: "cost", title: "Cost", blocks: CostSection.blocks(costs, run: first, batch: true)),
            ReportSection(id: "scenario-file", title: "Scenario file", blocks: [ScenarioSection.file(first)]),
        ]
        return ReportDocument(
            kind: .monteCarlo, title: "\(first.record.scenarioName): Monte Carlo over \(runs.count) runs",
            subtitle: RichText(
                "Batch #\(first.batchID ?? first.id): runs #\(first.id)–#\(runs[runs.count - 1].id), seeds "
                    + "\(seeds.min() ?? 0)–\(seeds.max() ?? 0)" + (facts.platformLine.map { "; \($0)" } ?? "") + "."),
            sections: sections)
    }

    /// Delays of one milestone after its fault, over the runs that reached it.
    static func delays(_ records: [RunRecord], fault index: Int, milestone: MilestoneName) -> [Double] {
        records.compactMap { r in
            guard let f = r.faults.first(where: { $0.index == index }), let t = f.milestone(milestone) else { return nil }
            return t - f.at
        }
    }

    /// Milestone names of a fault over all runs, in first-seen order.
    static func milestoneNames(_ records: [RunRecord], fault index: Int) -> [MilestoneName] {
        var names: [MilestoneName] = []
        for r in records {
            for m in r.faults.first(where: { $0.index == index })?.milestones ?? [] where !names.contains(m.name) {
                names.append(m.name)
            }
        }
        return names
    }

    static func glance(_ records: [RunRecord]) -> [RichText] {
        var lines: [RichText] = []
        for f in records[0].faults {
            var line = RichText.strong("F\(f.index): \(f.action) \(f.target)") + " at \(Fmt.clock(f.at))."
            if let end = RecoveryAnalysis.endMilestone(of: f) {
                let s = Statistic(delays(records, fault: f.index, milestone: end.name))
                line =
                    line + " " + .code(end.name.rawValue) + " after "
                    + .strong("p50 \(Fmt.after(s.p50)), p95 \(Fmt.after(s.p95))")
                    + " (range \(Fmt.after(s.min)) to \(Fmt.after(s.max)); reached in \(s.runs) of \(records.count) runs)."
            }
            lines.append(line)
            if let step = RecoveryAnalysis.commonLongestStep(records, fault: f.index) {
                let s = Statistic(step.seconds)
                lines.append(
                    "Why F\(f.index) took that long: the longest step was " + .code(step.from) + " → "
                        + .code(step.to.name.rawValue)
                        + " in \(step.runs) of \(records.count) runs, " + .strong("p50 \(Fmt.seconds(s.p50))")
                        + " (range \(Fmt.seconds(s.min)) to \(Fmt.seconds(s.max))): \(step.to.mechanism).")
            }
        }
        if let w = records[0].workloads.indices.min(by: { a, b in
            let sa = Statistic(records.map { $0.workloads[a].availability }),
                sb = Statistic(records.map { $0.workloads[b].availability })
            return (sa.min, records[0].workloads[a].name) < (sb.min, records[0].workloads[b].name)
        }) {
            let s = Statistic(records.map { $0.workloads[w].availability })
            lines.append(
                RichText("Lowest availability: ") + .code(records[0].workloads[w].name) + " p50 "
                    + .strong(Fmt.percent(s.p50)) + ", worst run \(Fmt.percent(s.min)).")
        }
        return lines
    }

    static func recovery(_ records: [RunRecord]) -> [ReportBlock] {
        guard !records[0].faults.isEmpty else { return [.paragraph("The scenario injects no fault.")] }
        var blocks: [ReportBlock] = []
        for f in records[0].faults {
            blocks.append(.heading("F\(f.index): \(f.action) \(f.target) at \(Fmt.clock(f.at)) — seconds after the fault"))
            var rows: [[RichText]] = []
            var charts: [ReportChart] = []
            for name in milestoneNames(records, fault: f.index) {
                let values = delays(records, fault: f.index, milestone: name)
                let s = Statistic(values)
                rows.append([
                    .code(name.rawValue), RichText("\(s.runs)"), RichText(Fmt.after(s.p50)), RichText(Fmt.after(s.p95)),
                    RichText(Fmt.after(s.min)), RichText(Fmt.after(s.max)), RichText(Fmt.after(s.mean)),
                ])
                guard s.max > s.min else { continue }
                let chart = DistributionChart(
                    id: "recovery-\(f.index)-\(charts.count)", kind: "histogram",
                    title: "F\(f.index) \(name): seconds after the fault over \(s.runs) runs",
                    description:
                        "p50 \(Fmt.after(s.p50)), p95 \(Fmt.after(s.p95)), min \(Fmt.after(s.min)), max \(Fmt.after(s.max))",
                    values: values, style: .histogram, valueTitle: "seconds after the fault",
                    markers: [
                        VerticalMarker(x: s.p50, label: "p50 \(Fmt.seconds(s.p50))"),
                        VerticalMarker(x: s.p95, label: "p95 \(Fmt.seconds(s.p95))"),
                    ])
                charts.append(
                    ReportChart(
                        id: chart.id, kind: "histogram", caption: "F\(f.index) \(name) — distribution over \(s.runs) runs",
                        svg: chart.render(),
                        summary: [
                            RichText(
                                "p50 \(Fmt.after(s.p50)), p95 \(Fmt.after(s.p95)); from \(Fmt.after(s.min)) to \(Fmt.after(s.max))."
                            )
                        ]))
            }
            blocks.append(
                .table(
                    ReportTable(
                        header: ["milestone", "runs", "p50", "p95", "min", "max", "mean"],
                        rows: rows, numeric: [1, 2, 3, 4, 5, 6])))
            if !charts.isEmpty { blocks.append(.chartGrid(charts)) }
        }
        return blocks
    }

    static func availability(_ records: [RunRecord]) -> [ReportBlock] {
        var rows: [[RichText]] = []
        var charts: [ReportChart] = []
        for (i, w) in records[0].workloads.enumerated() {
            let values = records.compactMap { r in r.workloads.first { $0.name == w.name }?.availability }
            let s = Statistic(values)
            let below = Statistic(records.compactMap { r in r.workloads.first { $0.name == w.name }?.secondsBelowDesired })
            let p5 = quantile(values.sorted(), 0.05)
            rows.append([
                .code(w.name), RichText(Fmt.percent(s.p50)), RichText(Fmt.percent(p5)), RichText(Fmt.percent(s.min)),
                RichText(Fmt.percent(s.mean)), RichText(Fmt.seconds(below.p50)), RichText(Fmt.seconds(below.p95)),
            ])
            guard s.max > s.min else { continue }
            let chart = DistributionChart(
                id: "availability-\(i)", kind: "cdf", title: "Availability of \(w.name) over \(s.runs) runs",
                description:
                    "p5 \(Fmt.percent(p5)), p50 \(Fmt.percent(s.p50)), p95 \(Fmt.percent(s.p95)), worst \(Fmt.percent(s.min))",
                values: values, style: .cdf, valueTitle: "availability (%)", unitScale: 0.01,
                markers: [
                    VerticalMarker(x: s.p50, label: "p50 \(Fmt.percent(s.p50))"),
                    VerticalMarker(x: s.p95, label: "p95 \(Fmt.percent(s.p95))"),
                    VerticalMarker(x: p5, label: "p5 \(Fmt.percent(p5))"),
                ])
            charts.append(
                ReportChart(
                    id: chart.id, kind: "cdf", caption: "\(w.name) — availability, cumulative over \(s.runs) runs",
                    svg: chart.render(),
                    summary: [
                        RichText(
                            "p5 \(Fmt.percent(p5)) (the worst 5 % of runs are below), p50 \(Fmt.percent(s.p50)), "
                                + "p95 \(Fmt.percent(s.p95)); worst run \(Fmt.percent(s.min)).")
                    ]))
        }
        var blocks: [ReportBlock] = [
            .table(
                ReportTable(
                    header: ["workload", "p50", "p5 (bad runs)", "worst run", "mean", "below desired p50", "below desired p95"],
                    rows: rows, numeric: [1, 2, 3, 4, 5, 6],
                    caption: "For availability the bad tail is the low end, so p5 is shown next to the median."))
        ]
        if !charts.isEmpty { blocks.append(.chartGrid(charts)) }
        return blocks
    }

    /// Type-7 quantile of sorted values (the method of `Statistic`), for the percentiles it lacks.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let x = p * Double(sorted.count - 1)
        let i = Int(x)
        return i + 1 < sorted.count ? sorted[i] + (sorted[i + 1] - sorted[i]) * (x - Double(i)) : sorted[i]
    }
}

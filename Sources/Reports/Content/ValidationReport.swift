import Simulation
import Store

/// A live drill next to its simulation, milestone by milestone: how far the prediction was off.
///
/// A live run and a simulated run have the same RunRecord shape, so this compares two sets of
/// records: the observed one, and one or more simulated runs of the same scenario (a batch
/// gives a spread, p50 and min–max, against which the observation either falls inside or not).
enum ValidationReport {
    /// One milestone compared.
    struct Row: Equatable {
        var fault: Int
        var milestone: String
        /// Seconds after the fault, observed in the live run; nil when the drill did not reach it.
        var observed: Double?
        /// The simulated delays (one per simulated run that reached it).
        var simulated: [Double]

        var stat: Statistic? { simulated.isEmpty ? nil : Statistic(simulated) }

        /// Observed minus the simulated median, when both exist.
        var difference: Double? {
            guard let o = observed, let s = stat else { return nil }
            return o - s.p50
        }

        /// "inside", "earlier", "later", or what is missing.
        var verdict: String {
            guard let o = observed else { return "not observed" }
            guard let s = stat else { return "not simulated" }
            let tolerance = 0.05  // seconds: below the report's rounding
            if o < s.min - tolerance { return "earlier than every simulated run" }
            if o > s.max + tolerance { return "later than every simulated run" }
            return s.runs > 1 ? "inside the simulated range" : "matches the simulation"
        }
    }

    static func rows(live: RunRecord, simulated: [RunRecord]) -> [Row] {
        live.milestoneDelays(against: simulated).map {
            Row(fault: $0.fault, milestone: $0.milestone.rawValue, observed: $0.observed, simulated: $0.simulated)
        }
    }

    static func document(live: StoredRun, simulated: [StoredRun]) -> ReportDocument {
        let l = live.record
        let sims = simulated.map(\.record)
        let all = rows(live: l, simulated: sims)
        let simLabel =
            simulated.count == 1
            ? "simulated run #\(simulated[0].id)"
            : "\(simulated.count) simulated runs (batch #\(simulated[0].batchID ?? simulated[0].id))"
        var sections = [ReportSection(id: "glance", title: "At a glance", blocks: [.list(glance(all, simLabel: simLabel))])]
        var mismatched: [String] = []
        for f in l.faults {
            if let sf = sims.first?.faults.first(where: { $0.index == f.index }), sf.action != f.action || sf.target != f.target {
                mismatched.append("F\(f.index): live \(f.action) \(f.target), simulated \(sf.action) \(sf.target)")
            }
        }
        var drill: [ReportBlock] = [
            .paragraph(RichText("Seconds after each fault: observed in live drill #\(live.id), simulated in \(simLabel)."))
        ]
        if !mismatched.isEmpty {
            drill.append(
                .notice(
                    title: "Faults differ",
                    text: RichText(
                        "the live and simulated faults are matched by index but are not the same: "
                            + mismatched.joined(separator: "; ") + ".")))
        }
        for f in l.faults {
            let rs = all.filter { $0.fault == f.index }
            drill.append(.heading("F\(f.index): \(f.action) \(f.target)"))
            drill.append(
                .table(
                    ReportTable(
                        header: ["milestone", "observed", "simulated p50", "simulated range", "observed − p50", "verdict"],
                        rows: rs.map { r in
                            let s = r.stat
                            return [
                                .code(r.milestone), RichText(r.observed.map(Fmt.after) ?? "—"),
                                RichText(s.map { Fmt.after($0.p50) } ?? "—"),
                                RichText(
                                    s.map {
                                        $0.runs > 1
                                            ? "\(Fmt.after($0.min)) to \(Fmt.after($0.max)) (p95 \(Fmt.after($0.p95)))" : "—"
                                    } ?? "—"),
                                RichText(r.difference.map { ($0 >= 0 ? "+" : "") + Fmt.seconds($0) } ?? "—"),
                                RichText(r.verdict),
                            ]
                        },
                        numeric: [1, 2, 3, 4])))
            if let chart = chart(rs, fault: f) { drill.append(.chart(chart)) }
        }
        sections.append(ReportSection(id: "milestones", title: "Observed and simulated milestones", blocks: drill))
        sections.append(
            ReportSection(
                id: "availability", title: "Availability, observed and simulated",
                blocks: [.table(availability(live: l, simulated: sims))]))
        return ReportDocument(
            kind: .validation, title: "\(l.scenarioName): live drill #\(live.id) against the simulation",
            subtitle: RichText("Observed: live run #\(live.id) (seed field \(l.seed)); predicted: \(simLabel)."),
            sections: sections)
    }

    static func glance(_ rows: [Row], simLabel: String) -> [RichText] {
        let compared = rows.filter { $0.observed != nil && $0.stat != nil }
        let inside = compared.filter { $0.verdict == "inside the simulated range" || $0.verdict == "matches the simulation" }
        var lines: [RichText] = [
            RichText("\(inside.count) of \(compared.count) milestones observed in both fall inside the simulated range ")
                + "(\(simLabel))."
        ]
        if let worst = compared.max(by: { abs($0.difference ?? 0) < abs($1.difference ?? 0) }), let d = worst.difference {
            lines.append(
                RichText("Largest difference: F\(worst.fault) ") + .code(worst.milestone) + " observed "
                    + .strong("\(d >= 0 ? "+" : "")\(Fmt.seconds(d))") + " from the simulated median.")
        }
        let missing = rows.filter { $0.observed == nil }.map { "F\($0.fault) \($0.milestone)" }
        if !missing.isEmpty { lines.append(RichText("Simulated but not observed: \(missing.joined(separator: ", ")).")) }
        let extra = rows.filter { $0.stat == nil }.map { "F\($0.fault) \($0.milestone)" }
        if !extra.isEmpty { lines.append(RichText("Observed but not simulated: \(extra.joined(separator: ", ")).")) }
        return lines
    }

    static func chart(_ rows: [Row], fault f: FaultResult) -> ReportChart? {
        let shown = rows.filter { $0.observed != nil || $0.stat != nil }
        guard !shown.isEmpty else { return nil }
        let values = shown.flatMap { r in (r.observed.map { [$0] } ?? []) + r.simulated }
        let axis = Axis.time("time after the fault", lower: 0, upper: max(1, values.max() ?? 1) * 1.05)
        let rangeRows = shown.map { r in
            RangeRow(
                label: r.milestone, range: r.stat.flatMap { $0.runs > 1 ? $0.min...$0.max : nil }, center: r.stat?.p50,
                points: r.observed.map { [(series: 0, x: $0)] } ?? [])
        }
        let chart = RangeChart(
            id: "validation-\(f.index)", kind: "validation", title: "F\(f.index) \(f.action): observed against simulated",
            description: shown.map { "\($0.milestone): \($0.verdict)" }.joined(separator: "; "), x: axis,
            rangeName: "simulated min–max", centerName: "simulated p50",
            points: [RangeChart.PointSeries(name: "observed (live)", color: Palette.vermillion)], rows: rangeRows)
        return ReportChart(
            id: chart.id, kind: "validation", caption: "F\(f.index) \(f.action) \(f.target): observed against simulated",
            svg: chart.render(), summary: shown.map { RichText.code($0.milestone) + ": \($0.verdict)" })
    }

    static func availability(live: RunRecord, simulated: [RunRecord]) -> ReportTable {
        var names = live.workloads.map(\.name)
        for r in simulated { for w in r.workloads where !names.contains(w.name) { names.append(w.name) } }
        let rows = names.map { name -> [RichText] in
            let observed = live.workloads.first { $0.name == name }?.availability
            let sims = simulated.compactMap { r in r.workloads.first { $0.name == name }?.availability }
            let s = sims.isEmpty ? nil : Statistic(sims)
            return [
                .code(name), RichText(observed.map(Fmt.percent) ?? "—"), RichText(s.map { Fmt.percent($0.p50) } ?? "—"),
                RichText(s.map { $0.runs > 1 ? "\(Fmt.percent($0.min)) to \(Fmt.percent($0.max))" : "—" } ?? "—"),
            ]
        }
        return ReportTable(header: ["workload", "observed", "simulated p50", "simulated range"], rows: rows, numeric: [1, 2, 3])
    }
}

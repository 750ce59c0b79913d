import Simulation

/// The run report's HorizontalPodAutoscalers, only for runs that had any.
///
/// Per HPA (or load on a target without one) its bounds and how far it went, then each rescale with
/// the metric that caused it.
enum AutoscalerSection {
    static func section(_ r: RunRecord) -> ReportSection? {
        guard let autoscalers = r.autoscalers else { return nil }
        let blocks = autoscalers.enumerated().flatMap { i, a -> [ReportBlock] in
            var out: [ReportBlock] = [.heading(a.name.isEmpty ? "Load on \(a.target)" : a.name), .paragraph(line(a))]
            if !a.rescales.isEmpty {
                out += [.chart(replicasChart(a, id: "hpa-replicas-\(i)", until: r.simulatedSeconds)), .table(rescales(a))]
            }
            return out
        }
        return ReportSection(id: "autoscalers", title: "Horizontal Pod Autoscalers", blocks: blocks)
    }

    /// Target, bounds, how far the replicas went and for how long they stayed at maxReplicas,
    /// the peak utilisation, and whether pods waited for room.
    static func line(_ a: AutoscalerResult) -> RichText {
        let peak =
            a.peakUtilization.map { "peak CPU \($0) % of requests at \(Fmt.clock(a.peakUtilizationAt ?? 0))" }
            ?? "no CPU measured"
        guard !a.name.isEmpty else {
            return "Target " + .code(a.target)
                + " has no HorizontalPodAutoscaler: replicas fixed at \(a.initialReplicas); \(peak)."
        }
        let atMax =
            a.hitMaxReplicas ? "at maxReplicas for \(Fmt.duration(a.secondsAtMax))" : "never at maxReplicas"
        let pending =
            a.maxPendingPods > 0
            ? "up to \(Fmt.count(a.maxPendingPods, "pod")) Pending for want of room" : "no pod Pending for want of room"
        return "Target " + .code(a.target)
            + ", replicas \(a.minReplicas)–\(a.maxReplicas): \(a.initialReplicas) at start, up to \(a.maxReplicasReached); "
            + "\(atMax); \(peak); \(pending)."
    }

    static func rescales(_ a: AutoscalerResult) -> ReportTable {
        ReportTable(
            header: ["time", "replicas", "CPU utilisation", "load (cores)"],
            rows: a.rescales.map { s in
                [
                    RichText(Fmt.clock(s.at)), RichText("\(s.from) → \(s.to)"),
                    RichText(s.utilization.map { "\($0) %" } ?? "— (bounds)"), RichText(Fmt.cpu(s.demandMillicores)),
                ]
            },
            numeric: [3],
            caption:
                "Run times (m:ss). Utilisation is the Ready pods' CPU use as a percentage of their requests "
                + "(for an AverageValue target, their average in millicores); the load is the demand on the target.")
    }

    /// The target's replicas as the autoscaler wrote them: the initial count, then each rescale
    /// holding until the next, against the minReplicas and maxReplicas bounds.
    static func replicasChart(_ a: AutoscalerResult, id: String, until end: Double) -> ReportChart {
        let points = [(x: 0.0, y: Double(a.initialReplicas))] + a.rescales.map { (x: $0.at, y: Double($0.to)) }
        let top = Double(max(a.maxReplicas, a.maxReplicasReached, 1))
        let chart = StepChart(
            id: id, kind: "hpa-replicas", title: "Replicas of \(a.target)",
            description: line(a).plain,
            x: .time("time since the start", lower: 0, upper: max(end, a.rescales.last?.at ?? 0), maxIntervals: 6),
            y: .nice(title: "replicas", lower: 0, upper: top, maxIntervals: 4, integer: true),
            series: [StepSeries(label: "replicas", points: points, style: Palette.line(0))],
            references: [
                ReferenceLine(y: Double(a.maxReplicas), label: "max \(a.maxReplicas)"),
                ReferenceLine(y: Double(a.minReplicas), label: "min \(a.minReplicas)"),
            ],
            width: 720, plotHeight: 110, showLegend: false)
        return ReportChart(
            id: id, kind: "hpa-replicas", caption: "\(a.name) — replicas written by the autoscaler", svg: chart.render(),
            summary: [
                RichText(
                    "\(a.initialReplicas) replicas at the start, \(a.maxReplicasReached) at the most, "
                        + "\(a.rescales.last?.to ?? a.initialReplicas) at the end of the run.")
            ])
    }
}

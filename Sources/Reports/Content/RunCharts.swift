import Simulation

/// The charts of one run, built from its time series.
///
/// Every chart comes with its summary in words, computed from the same data, so the Markdown report
/// and screen readers get the facts the picture shows.
enum RunCharts {
    /// The node states the simulation records, in legend order, with their fills.
    static let nodeStates = [
        GanttCategory("Ready", .ready), GanttCategory("NotReady", .notReady),
        GanttCategory("Cordoned", .cordoned), GanttCategory("Upgrading", .upgrading), GanttCategory("Down", .down),
        GanttCategory("Deleted", .other),
    ]

    /// Above this many nodes the Gantt shows only the nodes whose state changed.
    static let maxGanttNodes = 30

    static func faultMarkers(_ record: RunRecord) -> [VerticalMarker] {
        record.faults.map { VerticalMarker(x: $0.at, label: "F\($0.index) \($0.action)") }
    }

    /// Change points as chart points, starting from 0 at t = 0 (a workload has no ready
    /// replica and no pod is pending before the first change is recorded).
    static func stepPoints(_ points: [SeriesPoint]) -> [(x: Double, y: Double)] {
        var out: [(x: Double, y: Double)] = []
        if (points.first?.t ?? 1) > 0 { out.append((0, 0)) }
        out += points.map { ($0.t, $0.value) }
        return out
    }

    /// Small multiples: ready replicas of each workload over `window`, with its desired count and the faults.
    ///
    /// `only` restricts them to some workloads (the ones a fault affected).
    ///
    /// With `fault`, the charts zoom on that fault: time runs from the fault (0 = the fault) and
    /// the summaries speak of that fault only.
    static func readyReplicas(
        _ record: RunRecord, idPrefix: String, kind: String, window: ClosedRange<Double>,
        only: [String]? = nil, fault: FaultResult? = nil
    ) -> [ReportChart] {
        let origin = fault?.at ?? 0
        let x = Axis.time(
            fault.map { "time after F\($0.index)" } ?? "time since the start",
            lower: window.lowerBound - origin, upper: window.upperBound - origin, maxIntervals: 6)
        let markers = faultMarkers(record).map { VerticalMarker(x: $0.x - origin, label: $0.label) }
        var charts: [ReportChart] = []
        for (i, w) in record.workloads.enumerated() {
            if let only, !only.contains(w.name) { continue }
            let series = record.series.first { $0.kind == "readyReplicas" && $0.entity == w.name }
            let points = stepPoints(series?.points ?? []).map { (x: $0.x - origin, y: $0.y) }
            let top = max(Double(w.desiredReplicas), points.map(\.y).max() ?? 0, 1)
            let y = Axis.nice(title: "ready", lower: 0, upper: top, maxIntervals: 4, integer: true)
            let title = "Ready replicas of \(w.name) (\(w.kind))"
            let summary = readySummary(record, workload: w, only: fault)
            let chart = StepChart(
                id: "\(idPrefix)-\(i)", kind: kind, title: title, description: summary.map(\.plain).joined(separator: " "),
                x: x, y: y, series: [StepSeries(label: "ready replicas", points: points, style: Palette.line(0))],
                references: [ReferenceLine(y: Double(w.desiredReplicas), label: "desired \(w.desiredReplicas)")],
                markers: markers, width: 480, plotHeight: 90, showLegend: false)
            charts.append(
                ReportChart(
                    id: chart.id, kind: kind, caption: "\(w.name) — ready replicas",
                    svg: chart.render(), summary: summary))
        }
        return charts
    }

    /// "F0 crash: 6 → 4 ready at 10:00.0, back at 6 at 15:56.9 (+356.9 s after the fault)", per fault.
    static func readySummary(_ record: RunRecord, workload w: WorkloadResult, only: FaultResult? = nil) -> [RichText] {
        var lines: [RichText] = []
        for f in record.faults where only == nil || only?.index == f.index {
            let until = RecoveryAnalysis.windowEnd(of: f, in: record)
            guard let impact = RecoveryAnalysis.impacts(of: f, in: record, until: until).first(where: { $0.workload == w.name })
            else { continue }
            var s = "F\(f.index) \(f.action): "
            s +=
                impact.dips == 1
                ? "down to \(impact.lowest) of \(impact.desired) ready at \(Fmt.clock(impact.lowestAt))"
                : "below desired \(impact.dips) times from \(Fmt.clock(impact.droppedAt)), lowest \(impact.lowest) of "
                    + "\(impact.desired) at \(Fmt.clock(impact.lowestAt)), \(Fmt.seconds(impact.secondsBelow)) below in all"
            if let back = impact.backAt {
                s +=
                    ", back at \(impact.desired) \(impact.dips == 1 ? "" : "for good ")at \(Fmt.clock(back)) "
                    + "(\(Fmt.after(back - f.at)) after the fault)"
            } else {
                s += ", not back at \(impact.desired) by the end of the run"
            }
            lines.append(RichText(s))
        }
        if lines.isEmpty {
            lines.append(
                RichText(
                    w.minReadyReplicas >= w.desiredReplicas
                        ? "Stayed at its desired \(w.desiredReplicas) ready after start-up; no fault took it below."
                        : "Fewest ready after start-up: \(w.minReadyReplicas) of \(w.desiredReplicas), not caused by a fault."))
        }
        return lines
    }

    static func nodeStates(_ record: RunRecord, id: String) -> ReportChart? {
        let series = record.series.filter { $0.kind == "nodeState" }
        guard !series.isEmpty else { return nil }
        let end = record.simulatedSeconds
        func segments(_ s: TimeSeries) -> [GanttSegment] {
            var out: [GanttSegment] = []
            for (i, p) in s.points.enumerated() {
                let next = i + 1 < s.points.count ? s.points[i + 1].t : end
                guard next > p.t else { continue }
                let state = p.label ?? (p.value == 1 ? "Ready" : "NotReady")
                if let last = out.last, last.category == state, last.end == p.t {
                    out[out.count - 1].end = next
                } else {
                    out.append(GanttSegment(start: p.t, end: next, category: state))
                }
            }
            return out
        }
        let all = series.map { (name: $0.entity, segments: segments($0)) }
        let changed = all.filter { Set($0.segments.map(\.category)).count > 1 }
        let steady = all.filter { Set($0.segments.map(\.category)).count <= 1 }
        let shown = all.count > maxGanttNodes ? changed : all
        var summary: [RichText] = changed.map { n in
            RichText.code(n.name) + ": "
                + n.segments.map { seg in
                    "\(seg.category) \(Fmt.clock(seg.start))–\(Fmt.clock(seg.end))"
                }.joined(separator: ", ")
        }
        let readyThroughout = steady.filter { $0.segments.first?.category == "Ready" }.map(\.name)
        if !readyThroughout.isEmpty {
            summary.append(
                RichText("\(Fmt.count(readyThroughout.count, "node")) Ready throughout: ")
                    + readyThroughout.map { RichText.code($0) }.joined(separator: ", "))
        }
        for n in steady where n.segments.first?.category != "Ready" {
            summary.append(RichText.code(n.name) + ": \(n.segments.first?.category ?? "no state recorded") throughout")
        }
        if shown.count < all.count {
            summary.append(RichText("The chart shows the \(shown.count) nodes whose state changed."))
        }
        let chart = GanttChart(
            id: id, kind: "node-states", title: "Node states over time",
            description: summary.map(\.plain).joined(separator: ". "),
            x: .time("time since the start", lower: 0, upper: end),
            categories: nodeStates, rows: shown.map { GanttRow(label: $0.name, segments: $0.segments) },
            markers: faultMarkers(record))
        return ReportChart(
            id: id, kind: "node-states", caption: "Node states over time (Ready, NotReady, Cordoned, Upgrading, Down, Deleted)",
            svg: chart.render(), summary: summary)
    }

    static func pendingPods(_ record: RunRecord, id: String) -> ReportChart? {
        guard let series = record.series.first(where: { $0.kind == "pendingPods" }) else { return nil }
        let points = stepPoints(series.points)
        let peak = points.max { ($0.y, -$0.x) < ($1.y, -$1.x) } ?? (0, 0)
        let afterStart = points.filter { $0.x > 0 }
        var summary: [RichText] = [RichText("Most pods pending at once: \(Int(peak.y)) at \(Fmt.clock(peak.x)).")]
        for f in record.faults {
            let until = RecoveryAnalysis.windowEnd(of: f, in: record)
            let inWindow = afterStart.filter { $0.x >= f.at && $0.x < until }
            if let m = inWindow.max(by: { ($0.y, -$0.x) < ($1.y, -$1.x) }), m.y > 0 {
                summary.append(RichText("After F\(f.index) \(f.action): up to \(Int(m.y)) pending at \(Fmt.clock(m.x))."))
            }
        }
        summary.append(RichText("Pending at the end of the run: \(record.pendingPodsAtEnd)."))
        let y = Axis.nice(title: "pods", lower: 0, upper: max(1, peak.y), maxIntervals: 4, integer: true)
        let chart = StepChart(
            id: id, kind: "pending-pods", title: "Pending pods over time",
            description: summary.map(\.plain).joined(separator: " "),
            x: .time("time since the start", lower: 0, upper: record.simulatedSeconds), y: y,
            series: [StepSeries(label: "pending pods", points: points, style: Palette.line(1))],
            markers: faultMarkers(record), plotHeight: 110, showLegend: true)
        return ReportChart(
            id: id, kind: "pending-pods", caption: "Pending pods over time (all namespaces)",
            svg: chart.render(), summary: summary)
    }

    /// The etcd leader over time (series `controlPlane`/`etcdLeader`: the leader's server, or
    /// "none" while there is no leader and etcd takes no writes); nil when the run has none.
    static func etcdLeader(_ record: RunRecord, id: String) -> ReportChart? {
        guard let series = record.series.first(where: { $0.kind == "controlPlane" && $0.entity == "etcdLeader" }),
            !series.points.isEmpty
        else { return nil }
        let end = record.simulatedSeconds
        var segments: [GanttSegment] = []
        for (i, p) in series.points.enumerated() {
            let next = i + 1 < series.points.count ? series.points[i + 1].t : end
            guard next > p.t else { continue }
            let leader = p.label ?? (p.value > 0 ? "leader" : "none")
            segments.append(
                leader == "none"
                    ? GanttSegment(start: p.t, end: next, category: "no leader", label: "no leader")
                    : GanttSegment(start: p.t, end: next, category: "leader", label: leader))
        }
        var summary: [RichText] = segments.map { seg in
            seg.category == "no leader"
                ? RichText.strong("no leader")
                    + " \(Fmt.clock(seg.start))–\(Fmt.clock(seg.end)) (\(Fmt.seconds(seg.end - seg.start)))"
                : RichText("leader ") + .code(seg.label ?? "") + " \(Fmt.clock(seg.start))–\(Fmt.clock(seg.end))"
        }
        summary.append(
            RichText(
                "Leader changes: \(record.controlPlane.leaderChanges); API writes unavailable for "
                    + "\(Fmt.seconds(record.controlPlane.writeUnavailableSeconds)) in total."))
        let chart = GanttChart(
            id: id, kind: "etcd-leader", title: "etcd leader over time",
            description: summary.map(\.plain).joined(separator: "; "),
            x: .time("time since the start", lower: 0, upper: end),
            categories: [GanttCategory("leader", .ready), GanttCategory("no leader", .down)],
            rows: [GanttRow(label: "etcd leader", segments: segments)], markers: faultMarkers(record), rowHeight: 26)
        return ReportChart(
            id: id, kind: "etcd-leader", caption: "etcd leader over time (no leader: etcd takes no writes)",
            svg: chart.render(), summary: summary)
    }

    /// A fault's timeline as bars from the fault to each milestone, labelled with the delay.
    static func milestones(_ fault: FaultResult, id: String) -> ReportChart {
        let rows = fault.milestones.map { m in
            GanttRow(
                label: m.name.rawValue,
                segments: [GanttSegment(start: 0, end: m.at - fault.at, category: "time after the fault")],
                note: Fmt.after(m.at - fault.at))
        }
        let last = max(1, fault.milestones.map { $0.at - fault.at }.max() ?? 1)
        let chart = GanttChart(
            id: id, kind: "milestones", title: "Milestones of fault \(fault.index): \(fault.action) \(fault.target)",
            description: fault.milestones.map { "\($0.name) \(Fmt.after($0.at - fault.at))" }.joined(separator: ", "),
            x: .time("time after the fault", lower: 0, upper: last),
            categories: [GanttCategory("time after the fault", .neutral)], rows: rows, labelSegments: false,
            showLegend: false)
        return ReportChart(
            id: id, kind: "milestones",
            caption: "F\(fault.index) \(fault.action) \(fault.target): when each milestone was reached",
            svg: chart.render(), summary: [])
    }
}

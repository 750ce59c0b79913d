import Foundation

/// One part of a stacked column: a value of one category.
public struct StackedSegment: Sendable, Equatable {
    public var category: String
    public var value: Double
    public init(category: String, value: Double) { self.category = category; self.value = value }
}

/// One column: its label under the axis (two lines), its segments, the text above it (the
/// total) or, for a column without data, the text drawn in its place.
public struct StackedColumn: Sendable, Equatable {
    public var label: String
    public var sublabel: String?
    /// Positive values stack upwards from zero in category order, negative ones (a credit)
    /// downwards.
    public var segments: [StackedSegment]
    /// Written above the column (such as "121.24 EUR").
    public var total: String?
    /// Written in place of a column that has no segments (such as "no cost stored").
    public var missing: String?

    public init(
        label: String, sublabel: String? = nil, segments: [StackedSegment], total: String? = nil,
        missing: String? = nil
    ) {
        self.label = label; self.sublabel = sublabel; self.segments = segments; self.total = total; self.missing = missing
    }
}

/// Vertical stacked columns over a value axis, one column per entity (a run): what a total is
/// made of, side by side.
///
/// Every category has its own hatch as well as its colour, is named in the legend, and a segment
/// tall enough carries its name (and value) inside it, so the parts can be told apart without
/// colour; the exact numbers are in the chart's summary and the table next to it.
public struct StackedColumnChart: Sendable {
    public var id: String
    public var kind: String
    public var title: String
    public var description: String
    /// Title of the value axis, with its unit ("EUR per month").
    public var valueTitle: String
    public var categories: [GanttCategory]
    public var columns: [StackedColumn]
    /// Formats a segment's value for its in-bar label ("115.43").
    public var valueLabel: @Sendable (Double) -> String
    public var plotHeight: Double

    public init(
        id: String, kind: String, title: String, description: String, valueTitle: String,
        categories: [GanttCategory], columns: [StackedColumn],
        valueLabel: @escaping @Sendable (Double) -> String = { String(format: "%.2f", $0) },
        plotHeight: Double = 220
    ) {
        self.id = id; self.kind = kind; self.title = title; self.description = description; self.valueTitle = valueTitle
        self.categories = categories; self.columns = columns; self.valueLabel = valueLabel; self.plotHeight = plotHeight
    }

    static let labelSize = 11.0
    static let barWidth = 64.0
    /// Vertical room for one side label.
    static let sideRow = 13.0

    /// The value axis: from the largest credit (or 0) to the largest total, with room above the
    /// columns for their totals.
    var axis: Axis {
        let up = columns.map { $0.segments.filter { $0.value > 0 }.reduce(0) { $0 + $1.value } }.max() ?? 0
        let down = columns.map { $0.segments.filter { $0.value < 0 }.reduce(0) { $0 + $1.value } }.min() ?? 0
        return .nice(title: valueTitle, lower: min(0, down * 1.1), upper: max(up * 1.15, 1), maxIntervals: 5)
    }

    /// What a segment says about itself: "network 3.50".
    func sideText(_ seg: StackedSegment) -> String { "\(seg.category) \(valueLabel(seg.value))" }

    public func render() -> SVGElement {
        let y = axis
        let left = 18 + max(24, y.ticks.map { ChartFrame.textWidth(y.label($0)) }.max() ?? 0) + 10
        // Each slot holds the bar and, right of it, the labels of parts too thin to carry one.
        let under =
            columns.flatMap { [$0.label, $0.sublabel ?? "", $0.total ?? "", $0.missing ?? ""] }
            .map { ChartFrame.textWidth($0) }.max() ?? 0
        let side = columns.flatMap { $0.segments.map { ChartFrame.textWidth(sideText($0), size: Self.labelSize) } }.max() ?? 0
        let inset = max(12, (under - Self.barWidth) / 2 + 6)
        let minSlot = max(inset + Self.barWidth + 14 + side + 8, under + 16)
        let width = max(560, left + Double(max(1, columns.count)) * minSlot + 16)
        let slot = (width - left - 16) / Double(max(1, columns.count))
        let used = Set(columns.flatMap { $0.segments.filter { $0.value != 0 }.map(\.category) })
        let styles = Dictionary(categories.map { ($0.name, $0.style) }, uniquingKeysWith: { a, _ in a })
        var legendCategories = categories.filter { used.contains($0.name) }
        if used.contains(where: { styles[$0] == nil }) { legendCategories.append(GanttCategory("other", .other)) }
        let frame = ChartFrame(
            id: id, width: width, plotHeight: plotHeight, left: left,
            legend: legendCategories.map { LegendItem($0.name, .fill($0.style)) },
            markers: [], markerScale: nil, right: 16)
        let ys = LinearScale(domain: y.lower...y.upper, range: (frame.plotBottom, frame.plotTop))
        let zero = ys(0)
        var body: [SVGElement] = [frame.yAxis(y, scale: ys)]
        for (i, column) in columns.enumerated() {
            body.append(columnGroup(column, x0: left + Double(i) * slot + inset, scale: ys, frame: frame, styles: styles))
        }
        // The zero line, drawn over the columns' lower edges.
        body.append(
            .line(
                x1: frame.plotLeft, y1: zero, x2: frame.plotRight, y2: zero,
                extra: [("stroke", Palette.axis), ("class", "baseline")]))
        let defs = GanttChart.patterns(legendCategories.map(\.style), prefix: id)
        return frame.svg(kind: kind, title: title, description: description, defs: defs, body: body)
    }

    /// One column: its segments stacked from zero (credits below), their labels inside or
    /// beside the bar, the total above, and the column's labels under the plot.
    private func columnGroup(
        _ column: StackedColumn, x0: Double, scale ys: LinearScale, frame: ChartFrame, styles: [String: FillStyle]
    ) -> SVGElement {
        let zero = ys(0)
        let center = x0 + Self.barWidth / 2
        var marks: [SVGElement] = []
        var thin: [(seg: StackedSegment, mid: Double)] = []
        var up = 0.0, down = 0.0
        for seg in column.segments where seg.value != 0 {
            let from = seg.value > 0 ? up : down
            let to = from + seg.value
            if seg.value > 0 { up = to } else { down = to }
            let top = min(ys(from), ys(to)), bottom = max(ys(from), ys(to))
            let style = styles[seg.category] ?? .other
            marks.append(
                .rect(
                    x: x0, y: top, width: Self.barWidth, height: bottom - top,
                    extra: [
                        ("fill", style.fill(id)), ("stroke", style.stroke), ("stroke-width", "1"),
                        ("data-category", seg.category), ("data-value", valueLabel(seg.value)),
                    ]))
            let inside = insideLabel(seg, center: center, top: top, bottom: bottom)
            if inside.isEmpty { thin.append((seg, (top + bottom) / 2)) } else { marks += inside }
        }
        marks += sideLabels(thin, barRight: x0 + Self.barWidth, lowest: frame.plotBottom - 2)
        if column.segments.allSatisfy({ $0.value == 0 }), let missing = column.missing {
            marks.append(
                .text(
                    missing, x: center, y: zero - 8, anchor: "middle",
                    extra: [
                        ("font-size", SVGNumber.format(Self.labelSize)), ("fill", Palette.muted),
                        ("class", "missing"),
                    ]))
        } else if let total = column.total {
            marks.append(
                .text(
                    total, x: center, y: ys(up) - 6, anchor: "middle",
                    extra: [("font-weight", "600"), ("class", "total")]))
        }
        marks.append(.text(column.label, x: center, y: frame.plotBottom + 16, anchor: "middle"))
        if let sub = column.sublabel {
            marks.append(.text(sub, x: center, y: frame.plotBottom + 31, anchor: "middle", extra: [("fill", Palette.muted)]))
        }
        return .group(
            "column", marks,
            extra: [
                (
                    "data-label",
                    [column.label, column.sublabel].compactMap { $0 }
                        .joined(separator: " ")
                )
            ])
    }

    static let halo: [(String, String)] = [
        ("font-size", SVGNumber.format(labelSize)), ("fill", Palette.ink),
        ("stroke", "#ffffff"), ("stroke-width", "3"), ("paint-order", "stroke"),
    ]

    /// The category's name (and its value, when there is room for two lines) inside a segment,
    /// on a white halo so the hatching does not cross the letters; nothing when it does not fit.
    func insideLabel(_ seg: StackedSegment, center: Double, top: Double, bottom: Double) -> [SVGElement] {
        let height = bottom - top
        let value = valueLabel(seg.value)
        let fits = { (s: String) in ChartFrame.textWidth(s, size: Self.labelSize) + 6 <= Self.barWidth }
        let extra = Self.halo + [("class", "segment-label")]
        let mid = (top + bottom) / 2
        if height >= 30 && fits(seg.category) && fits(value) {
            return [
                .text(seg.category, x: center, y: mid - 2, anchor: "middle", extra: extra),
                .text(value, x: center, y: mid + 11, anchor: "middle", extra: extra),
            ]
        }
        if height >= 15 && fits(sideText(seg)) {
            return [.text(sideText(seg), x: center, y: mid + 4, anchor: "middle", extra: extra)]
        }
        return []
    }

    /// Labels right of the bar for the parts too thin to carry one, each with a leader line to
    /// its part, spread so that no two overlap (in stacking order, bottom part lowest).
    func sideLabels(_ thin: [(seg: StackedSegment, mid: Double)], barRight: Double, lowest: Double) -> [SVGElement] {
        guard !thin.isEmpty else { return [] }
        let ordered = thin.sorted { $0.mid > $1.mid }  // bottom first
        var ys: [Double] = []
        for t in ordered {
            // A label's baseline sits 4 px below the middle of its text.
            var y = min(t.mid + 4, lowest)
            if let last = ys.last { y = min(y, last - Self.sideRow) }
            ys.append(y)
        }
        var out: [SVGElement] = []
        let textX = barRight + 14
        for (t, y) in zip(ordered, ys) {
            out.append(
                .line(
                    x1: barRight + 1, y1: t.mid, x2: textX - 3, y2: y - 4,
                    extra: [("stroke", Palette.muted), ("stroke-width", "1"), ("class", "leader")]))
            out.append(.text(sideText(t.seg), x: textX, y: y, extra: Self.halo + [("class", "side-label")]))
        }
        return out
    }
}

/// One row of a range chart: an interval with a centre tick, and single points.
public struct RangeRow: Sendable, Equatable {
    public var label: String
    /// The interval (such as min–max of the simulated runs); nil when there is none.
    public var range: ClosedRange<Double>?
    /// A tick inside the interval (such as the p50).
    public var center: Double?
    /// Points drawn as diamonds, each with the index of its series in `RangeChart.points`.
    public var points: [(series: Int, x: Double)]

    public init(
        label: String, range: ClosedRange<Double>? = nil, center: Double? = nil,
        points: [(series: Int, x: Double)] = []
    ) {
        self.label = label; self.range = range; self.center = center; self.points = points
    }

    public static func == (a: RangeRow, b: RangeRow) -> Bool {
        a.label == b.label && a.range == b.range && a.center == b.center
            && a.points.map(\.series) == b.points.map(\.series) && a.points.map(\.x) == b.points.map(\.x)
    }
}

/// A dot plot: per row an interval with its centre and single observations, on a shared x axis.
///
/// Used to put an observed (live) value next to the simulated spread, or several runs side by side.
public struct RangeChart: Sendable {
    /// A kind of point, with its legend name and colour; points also differ by vertical offset.
    public struct PointSeries: Sendable, Equatable {
        public var name: String
        public var color: String
        public init(name: String, color: String) { self.name = name; self.color = color }
    }

    public var id: String
    public var kind: String
    public var title: String
    public var description: String
    public var x: Axis
    public var rangeName: String
    public var centerName: String
    public var points: [PointSeries]
    public var rows: [RangeRow]
    public var width: Double
    public var rowHeight: Double

    public init(
        id: String, kind: String, title: String, description: String, x: Axis, rangeName: String,
        centerName: String, points: [PointSeries], rows: [RangeRow], width: Double = 1000,
        rowHeight: Double = 24
    ) {
        self.id = id; self.kind = kind; self.title = title; self.description = description; self.x = x
        self.rangeName = rangeName; self.centerName = centerName; self.points = points; self.rows = rows
        self.width = width; self.rowHeight = rowHeight
    }

    public func render() -> SVGElement {
        let left = 12 + min(260, rows.map { ChartFrame.textWidth($0.label) }.max() ?? 0) + 10
        let xs = LinearScale(domain: x.lower...x.upper, range: (left, width - 16))
        var legend: [LegendItem] = []
        if rows.contains(where: { $0.range != nil }) { legend.append(LegendItem(rangeName, .fill(.neutral))) }
        if rows.contains(where: { $0.center != nil }) {
            legend.append(LegendItem(centerName, .line(LineStyle(stroke: Palette.blue, dash: nil, width: 3))))
        }
        for (i, p) in points.enumerated() where rows.contains(where: { $0.points.contains { $0.series == i } }) {
            legend.append(LegendItem(p.name, .point(p.color)))
        }
        let frame = ChartFrame(
            id: id, width: width, plotHeight: max(1, Double(rows.count)) * rowHeight, left: left,
            legend: legend, markers: [], markerScale: nil)
        var body = [frame.xAxis(x, scale: xs)]
        for (i, row) in rows.enumerated() {
            let top = frame.plotTop + Double(i) * rowHeight, mid = top + rowHeight / 2
            var marks: [SVGElement] = [.text(row.label, x: left - 8, y: mid + 4, anchor: "end")]
            if let r = row.range {
                let a = xs(r.lowerBound), b = max(xs(r.upperBound), a + 2)
                marks.append(
                    .rect(
                        x: a, y: mid - 5, width: b - a, height: 10,
                        extra: [
                            ("fill", FillStyle.neutral.tint), ("stroke", FillStyle.neutral.stroke),
                            ("class", "range"),
                        ]))
            }
            if let c = row.center {
                marks.append(
                    .line(
                        x1: xs(c), y1: mid - 8, x2: xs(c), y2: mid + 8,
                        extra: [("stroke", Palette.blue), ("stroke-width", "3"), ("class", "center")]))
            }
            for p in row.points {
                let color = points.indices.contains(p.series) ? points[p.series].color : Palette.ink
                // Series after the first sit a little lower, so equal values stay visible.
                let offset = Double(p.series % 3) * 3
                marks.append(ChartFrame.diamond(x: xs(min(max(p.x, x.lower), x.upper)), y: mid + offset, color: color))
            }
            body.append(.group("row", marks, extra: [("data-label", row.label)]))
        }
        return frame.svg(kind: kind, title: title, description: description, defs: [], body: body)
    }
}

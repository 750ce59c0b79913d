/// A series given by its change points: the value holds until the next point (ready
/// replicas, pending pods, a cumulative distribution).
public struct StepSeries: Sendable, Equatable {
    public var label: String
    /// (x, value), in x order; several points at the same x are allowed (the last one holds).
    public var points: [(x: Double, y: Double)]
    public var style: LineStyle

    public init(label: String, points: [(x: Double, y: Double)], style: LineStyle) {
        self.label = label; self.points = points; self.style = style
    }

    public static func == (a: StepSeries, b: StepSeries) -> Bool {
        a.label == b.label && a.style == b.style && a.points.map(\.x) == b.points.map(\.x)
            && a.points.map(\.y) == b.points.map(\.y)
    }
}

/// A horizontal reference line with a label at its right end (such as "desired 6").
public struct ReferenceLine: Sendable, Equatable {
    public var y: Double
    public var label: String
    public init(y: Double, label: String) { self.y = y; self.label = label }
}

/// Step lines over an x axis, with reference lines and vertical markers.
///
/// Step (not straight) lines because the data are step functions: between two change points
/// nothing happened, and a sloped line would invent intermediate values.
public struct StepChart: Sendable {
    public var id: String
    public var kind: String
    public var title: String
    public var description: String
    public var x: Axis
    public var y: Axis
    public var series: [StepSeries]
    public var references: [ReferenceLine]
    public var markers: [VerticalMarker]
    public var width: Double
    public var plotHeight: Double
    /// Show a legend (off for a single self-explanatory series, whose chart title names it).
    public var showLegend: Bool

    public init(
        id: String, kind: String, title: String, description: String, x: Axis, y: Axis,
        series: [StepSeries], references: [ReferenceLine] = [], markers: [VerticalMarker] = [],
        width: Double = 1000, plotHeight: Double = 160, showLegend: Bool = true
    ) {
        self.id = id; self.kind = kind; self.title = title; self.description = description
        self.x = x; self.y = y; self.series = series; self.references = references; self.markers = markers
        self.width = width; self.plotHeight = plotHeight; self.showLegend = showLegend
    }

    public func render() -> SVGElement {
        let left = 18 + max(24, (y.ticks.map { ChartFrame.textWidth(y.label($0)) }.max() ?? 0)) + 10
        let right = 16 + (references.map { ChartFrame.textWidth($0.label, size: 11) + 6 }.max() ?? 0)
        let xs = LinearScale(domain: x.lower...x.upper, range: (left, width - right))
        let visibleMarkers = markers.filter { $0.x >= x.lower && $0.x <= x.upper }
        var legend: [LegendItem] = showLegend ? series.map { LegendItem($0.label, .line($0.style)) } : []
        if showLegend && !visibleMarkers.isEmpty { legend.append(LegendItem("fault", .marker)) }
        let frame = ChartFrame(
            id: id, width: width, plotHeight: plotHeight, left: left, legend: legend,
            markers: visibleMarkers, markerScale: xs, right: right)
        let ys = LinearScale(domain: y.lower...y.upper, range: (frame.plotBottom, frame.plotTop))

        var body = [frame.yAxis(y, scale: ys), frame.xAxis(x, scale: xs, grid: false)]
        for r in references {
            let yy = ys(r.y)
            body.append(
                .group(
                    "reference",
                    [
                        .line(
                            x1: frame.plotLeft, y1: yy, x2: frame.plotRight, y2: yy,
                            extra: [("stroke", Palette.muted), ("stroke-width", "1"), ("stroke-dasharray", "5 4")]),
                        .text(r.label, x: frame.plotRight + 4, y: yy + 4, extra: [("fill", Palette.muted), ("font-size", "11")]),
                    ]))
        }
        if !visibleMarkers.isEmpty { body.append(frame.markers(scale: xs)) }
        for s in series {
            guard let d = Self.path(s.points, xs: xs, ys: ys, xEnd: x.upper) else { continue }
            body.append(SVGElement("path", [("class", "series"), ("data-label", s.label), ("d", d)] + s.style.attributes))
        }
        return frame.svg(kind: kind, title: title, description: description, defs: [], body: body)
    }

    /// The SVG path of a step function: horizontal to each change point, then vertical to its value.
    ///
    /// The last value holds until `xEnd`. Points outside the axis are clipped to it.
    static func path(_ points: [(x: Double, y: Double)], xs: LinearScale, ys: LinearScale, xEnd: Double) -> String? {
        let lo = xs.domain.lowerBound, hi = xs.domain.upperBound
        // Several changes at the same instant held for no time: only the last value counts
        // (drawing the others would show spikes that never lasted).
        var collapsed: [(x: Double, y: Double)] = []
        for p in points {
            if let last = collapsed.last, last.x == p.x { collapsed[collapsed.count - 1] = p } else { collapsed.append(p) }
        }
        // The value in force at the left edge is that of the last point at or before it.
        var start: (x: Double, y: Double)?
        var rest: [(x: Double, y: Double)] = []
        for p in collapsed {
            if p.x <= lo { start = (lo, p.y) } else if p.x <= hi { rest.append(p) }
        }
        guard let first = start ?? rest.first else { return nil }
        if start == nil { rest.removeFirst() }
        let f = SVGNumber.format
        var d = "M\(f(xs(first.x))) \(f(ys(first.y)))"
        var current = first.y
        for p in rest {
            d += "H\(f(xs(p.x)))"
            if p.y != current { d += "V\(f(ys(p.y)))"; current = p.y }
        }
        d += "H\(f(xs(min(xEnd, hi))))"
        return d
    }
}

/// One labelled point of a scatter chart.
public struct ScatterPoint: Sendable, Equatable {
    public var label: String
    public var x: Double
    public var y: Double
    public init(label: String, x: Double, y: Double) { self.label = label; self.x = x; self.y = y }
}

/// Points on two value axes, each named beside its mark: one point per option, so that what
/// a price buys (or loses) is read as a position rather than across two tables.
public struct ScatterChart: Sendable {
    public var id: String
    public var kind: String
    public var title: String
    public var description: String
    public var x: Axis
    public var y: Axis
    public var points: [ScatterPoint]
    public var width: Double
    public var plotHeight: Double

    public init(
        id: String, kind: String, title: String, description: String, x: Axis, y: Axis,
        points: [ScatterPoint], width: Double = 1000, plotHeight: Double = 260
    ) {
        self.id = id; self.kind = kind; self.title = title; self.description = description
        self.x = x; self.y = y; self.points = points; self.width = width; self.plotHeight = plotHeight
    }

    public func render() -> SVGElement {
        let left = 18 + max(24, (y.ticks.map { ChartFrame.textWidth(y.label($0)) }.max() ?? 0)) + 10
        // Room on the right for the label of a point at the axis' end.
        let right = 16 + (points.map { ChartFrame.textWidth($0.label, size: 11) + 8 }.max() ?? 0)
        let xs = LinearScale(domain: x.lower...x.upper, range: (left, width - right))
        let frame = ChartFrame(
            id: id, width: width, plotHeight: plotHeight, left: left, legend: [],
            markers: [], markerScale: nil, right: right)
        let ys = LinearScale(domain: y.lower...y.upper, range: (frame.plotBottom, frame.plotTop))
        var body = [frame.yAxis(y, scale: ys), frame.xAxis(x, scale: xs)]
        for p in points {
            let px = xs(min(max(p.x, x.lower), x.upper)), py = ys(min(max(p.y, y.lower), y.upper))
            body.append(
                .group(
                    "point",
                    [
                        ChartFrame.diamond(x: px, y: py, color: Palette.blue, size: 6),
                        .text(p.label, x: px + 9, y: py + 4, extra: [("font-size", "11")]),
                    ], extra: [("data-label", p.label)]))
        }
        return frame.svg(kind: kind, title: title, description: description, defs: [], body: body)
    }
}

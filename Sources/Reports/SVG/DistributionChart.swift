import Foundation

/// Equal-width bins over a set of values, with edges at round numbers.
public struct Histogram: Sendable, Equatable {
    /// Left edge of the first bin.
    public var lower: Double
    public var width: Double
    /// Values per bin; bin `i` holds `lower + i·width ≤ v < lower + (i+1)·width` (the last bin
    /// also holds its right edge).
    public var counts: [Int]

    public init(lower: Double, width: Double, counts: [Int]) {
        self.lower = lower; self.width = width; self.counts = counts
    }

    /// Bins of a 1-2-5 width, at most `maxBins` of them, aligned to multiples of the width.
    ///
    /// Equal values (or a single one) get one bin around them.
    public init(values: [Double], maxBins: Int = 12) {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else {
            self.init(lower: 0, width: 1, counts: [])
            return
        }
        let span = hi - lo
        let w =
            span > 0
            ? NiceTicks.step(span: span, maxIntervals: maxBins)
            : NiceTicks.step(span: max(abs(lo), 1) / 10, maxIntervals: 1)
        var start = (lo / w).rounded(.down) * w
        if span == 0 { start = NiceTicks.clean(start, step: w) }
        var bins = max(1, Int(((hi - start) / w).rounded(.down)) + 1)
        // A maximum exactly on an edge belongs to the bin before it (upper edges are inclusive at the end).
        if bins > 1 && abs(start + Double(bins - 1) * w - hi) < w * 1e-9 { bins -= 1 }
        var counts = Array(repeating: 0, count: bins)
        for v in finite {
            let i = Swift.min(bins - 1, Swift.max(0, Int(((v - start) / w + 1e-9).rounded(.down))))
            counts[i] += 1
        }
        self.init(lower: NiceTicks.clean(start, step: w), width: w, counts: counts)
    }

    public var upper: Double { lower + Double(counts.count) * width }
}

/// A histogram or an empirical CDF of one figure over many runs, with percentile markers.
///
/// Histograms answer "what is typical"; the CDF answers "in what share of runs is it at most
/// x", which is how p50/p95 are defined, so both mark them.
public struct DistributionChart: Sendable {
    public enum Style: String, Sendable { case histogram, cdf }

    public var id: String
    public var kind: String
    public var title: String
    public var description: String
    public var values: [Double]
    public var style: Style
    /// Axis title with the unit of the values.
    public var valueTitle: String
    /// Labels show `value / unitScale` followed by `suffix` (100 and "%" for a ratio shown as percent).
    public var unitScale: Double
    public var suffix: String
    public var markers: [VerticalMarker]
    public var width: Double
    public var plotHeight: Double

    public init(
        id: String, kind: String, title: String, description: String, values: [Double], style: Style,
        valueTitle: String, unitScale: Double = 1, suffix: String = "", markers: [VerticalMarker] = [],
        width: Double = 480, plotHeight: Double = 120
    ) {
        self.id = id; self.kind = kind; self.title = title; self.description = description; self.values = values
        self.style = style; self.valueTitle = valueTitle; self.unitScale = unitScale; self.suffix = suffix
        self.markers = markers; self.width = width; self.plotHeight = plotHeight
    }

    public func render() -> SVGElement {
        switch style {
        case .histogram: return histogram()
        case .cdf: return cdf()
        }
    }

    /// The x axis in display units (so ticks fall on round numbers of what is printed).
    func valueAxis(lower: Double, upper: Double) -> Axis {
        let d = NiceTicks.niceDomain(lower: lower / unitScale, upper: upper / unitScale, maxIntervals: 6)
        return Axis(
            title: valueTitle, lower: d.lower * unitScale, upper: d.upper * unitScale, step: d.step * unitScale,
            unitScale: unitScale, suffix: suffix)
    }

    func histogram() -> SVGElement {
        let h = Histogram(values: values.map { $0 / unitScale })
        let x = valueAxis(lower: h.lower * unitScale, upper: h.upper * unitScale)
        let y = Axis.nice(title: "runs", lower: 0, upper: Double(h.counts.max() ?? 1), maxIntervals: 4, integer: true)
        let left = 18 + max(24, y.ticks.map { ChartFrame.textWidth(y.label($0)) }.max() ?? 0) + 10
        let xs = LinearScale(domain: x.lower...x.upper, range: (left, width - 16))
        let legend = [LegendItem("runs per bin", .fill(.neutral)), LegendItem("percentile", .marker)]
        let frame = ChartFrame(
            id: id, width: width, plotHeight: plotHeight, left: left, legend: legend,
            markers: markers, markerScale: xs)
        let ys = LinearScale(domain: y.lower...y.upper, range: (frame.plotBottom, frame.plotTop))
        var bars: [SVGElement] = []
        for (i, c) in h.counts.enumerated() where c > 0 {
            let a = xs((h.lower + Double(i) * h.width) * unitScale), b = xs((h.lower + Double(i + 1) * h.width) * unitScale)
            bars.append(
                .rect(
                    x: a + 0.5, y: ys(Double(c)), width: b - a - 1, height: ys(0) - ys(Double(c)),
                    extra: [
                        ("fill", FillStyle.neutral.tint), ("stroke", FillStyle.neutral.stroke),
                        ("data-count", "\(c)"),
                    ]))
        }
        let body = [
            frame.yAxis(y, scale: ys), frame.xAxis(x, scale: xs, grid: false), .group("bars", bars),
            frame.markers(scale: xs),
        ]
        return frame.svg(kind: kind, title: title, description: description, defs: [], body: body)
    }

    func cdf() -> SVGElement {
        let sorted = values.filter(\.isFinite).sorted()
        let lo = sorted.first ?? 0, hi = sorted.last ?? 1
        let x = valueAxis(lower: lo, upper: hi > lo ? hi : lo + unitScale)
        let y = Axis(title: "share of runs ≤ x", lower: 0, upper: 1, step: 0.25, unitScale: 0.01, suffix: " %")
        let left = 18 + max(24, y.ticks.map { ChartFrame.textWidth(y.label($0)) }.max() ?? 0) + 10
        let xs = LinearScale(domain: x.lower...x.upper, range: (left, width - 16))
        let legend = [LegendItem("runs at or below x", .line(Palette.line(0))), LegendItem("percentile", .marker)]
        let frame = ChartFrame(
            id: id, width: width, plotHeight: plotHeight, left: left, legend: legend,
            markers: markers, markerScale: xs)
        let ys = LinearScale(domain: 0...1, range: (frame.plotBottom, frame.plotTop))
        var points: [(x: Double, y: Double)] = [(x.lower, 0)]
        for (i, v) in sorted.enumerated() { points.append((v, Double(i + 1) / Double(sorted.count))) }
        var body = [frame.yAxis(y, scale: ys), frame.xAxis(x, scale: xs, grid: true), frame.markers(scale: xs)]
        if let d = StepChart.path(points, xs: xs, ys: ys, xEnd: x.upper) {
            body.append(
                SVGElement(
                    "path",
                    [("class", "series"), ("data-label", "cdf"), ("d", d)]
                        + Palette.line(0).attributes))
        }
        return frame.svg(kind: kind, title: title, description: description, defs: [], body: body)
    }
}

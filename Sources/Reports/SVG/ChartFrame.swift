import Foundation

/// One axis: its data interval, its tick step and how ticks are labelled.
///
/// Values are always in data units (seconds for time); `unit` only scales the labels, so a
/// chart can say "min" while its data stays in seconds.
public struct Axis: Sendable, Equatable {
    /// Axis title with its unit, such as "minutes since the start".
    public var title: String
    public var lower: Double
    public var upper: Double
    /// Distance between ticks, in data units.
    public var step: Double
    /// Labels show `value / unitScale` (60 for minutes).
    public var unitScale: Double
    /// Appended to every tick label ("%" for percentages).
    public var suffix: String

    public init(title: String, lower: Double, upper: Double, step: Double, unitScale: Double = 1, suffix: String = "") {
        self.title = title; self.lower = lower; self.upper = upper; self.step = step
        self.unitScale = unitScale; self.suffix = suffix
    }

    /// A value axis from a nice multiple of a 1-2-5 step at or below `lower` to one at or above `upper`.
    public static func nice(
        title: String, lower: Double, upper: Double, maxIntervals: Int = 5,
        integer: Bool = false, suffix: String = ""
    ) -> Axis {
        let d = NiceTicks.niceDomain(lower: lower, upper: upper, maxIntervals: maxIntervals, integer: integer)
        return Axis(title: title, lower: d.lower, upper: d.upper, step: d.step, suffix: suffix)
    }

    /// A time axis over exactly `lower...upper` seconds, labelled in the unit that suits the span.
    ///
    /// The unit is seconds, minutes or hours, with ticks at round numbers of that unit. The
    /// interval is not widened: nothing was measured outside it.
    public static func time(_ title: String, lower: Double, upper: Double, maxIntervals: Int = 8) -> Axis {
        let span = max(upper - lower, 1e-6)
        let unit = TimeUnit.forSpan(span)
        let step = NiceTicks.step(span: span / unit.seconds, maxIntervals: maxIntervals) * unit.seconds
        return Axis(
            title: "\(title) (\(unit.rawValue))", lower: lower, upper: max(upper, lower + 1e-6), step: step,
            unitScale: unit.seconds)
    }

    public var ticks: [Double] { NiceTicks.ticks(lower: lower, upper: upper, step: step) }

    public func label(_ value: Double) -> String {
        NiceTicks.label(value / unitScale, step: step / unitScale) + suffix
    }
}

/// An entry of a chart legend.
public struct LegendItem: Sendable, Equatable {
    public enum Swatch: Sendable, Equatable {
        case line(LineStyle)
        case fill(FillStyle)
        /// A vertical dashed marker line (faults, percentiles).
        case marker
        /// A diamond point (an observed value).
        case point(String)
    }
    public var label: String
    public var swatch: Swatch
    public init(_ label: String, _ swatch: Swatch) { self.label = label; self.swatch = swatch }
}

/// A labelled vertical line at an x value: a fault, a percentile.
public struct VerticalMarker: Sendable, Equatable {
    public var x: Double
    public var label: String
    public init(x: Double, label: String) { self.x = x; self.label = label }
}

/// The frame every chart shares: the outer `<svg>` with its accessible name and description, legend, marker labels, axes, grid.
///
/// A chart computes its marks inside `plot`.
struct ChartFrame {
    static let fontSize = 12.0
    static let legendRow = 18.0
    static let markerRow = 14.0

    let id: String
    let width: Double
    let height: Double
    let left: Double
    let right: Double
    let top: Double
    let bottom: Double
    let legendRows: [[LegendItem]]
    let markerRows: [[PlacedMarker]]

    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    /// Lays out a chart of `plotHeight` pixels of data area.
    ///
    /// Legend and marker labels go above the plot (in as many rows as they need), axis labels below
    /// and to the left.
    init(
        id: String, width: Double, plotHeight: Double, left: Double, legend: [LegendItem],
        markers: [VerticalMarker], markerScale: LinearScale?, right: Double = 16, hasXAxis: Bool = true
    ) {
        self.id = id
        self.width = width
        self.left = left
        self.right = right
        legendRows = Self.wrapLegend(legend, width: width - left - right)
        markerRows = markerScale.map { Self.stagger(markers, scale: $0, chartWidth: width) } ?? []
        top =
            8 + Double(legendRows.count) * Self.legendRow + Double(markerRows.count) * Self.markerRow
            + (markerRows.isEmpty ? 0 : 4)
        bottom = hasXAxis ? 40 : 8
        height = top + plotHeight + bottom
    }

    /// Approximate rendered width of `text` at `size` px in a sans-serif font: enough to avoid
    /// overlaps without measuring fonts (which an SVG written ahead of time cannot do).
    static func textWidth(_ text: String, size: Double = fontSize) -> Double { Double(text.count) * size * 0.58 }

    // MARK: the document

    /// The root `<svg>`: a fixed viewBox (CSS scales it down on narrow screens and in print),
    /// `role="img"` with the title and description as its accessible name.
    func svg(kind: String, title: String, description: String, defs: [SVGElement], body: [SVGElement]) -> SVGElement {
        var children = [
            SVGElement("title", [("id", "\(id)-title")], text: title),
            SVGElement("desc", [("id", "\(id)-desc")], text: description),
        ]
        if !defs.isEmpty { children.append(SVGElement("defs", children: defs)) }
        children.append(.rect(x: 0, y: 0, width: width, height: height, extra: [("fill", "#ffffff")]))
        children += legend()
        children += body
        return SVGElement(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("id", id), ("class", "chart"), ("data-chart", kind),
                ("viewBox", "0 0 \(SVGNumber.format(width)) \(SVGNumber.format(height))"),
                ("width", SVGNumber.format(width)), ("height", SVGNumber.format(height)),
                ("role", "img"), ("aria-labelledby", "\(id)-title \(id)-desc"),
                ("font-family", "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"),
                ("font-size", SVGNumber.format(Self.fontSize)), ("fill", Palette.ink),
            ], children: children)
    }

    // MARK: axes

    func xAxis(_ axis: Axis, scale: LinearScale, grid: Bool = true) -> SVGElement {
        var marks: [SVGElement] = []
        for t in axis.ticks {
            let x = scale(t)
            if grid { marks.append(.line(x1: x, y1: plotTop, x2: x, y2: plotBottom, extra: [("stroke", Palette.grid)])) }
            marks.append(.line(x1: x, y1: plotBottom, x2: x, y2: plotBottom + 4, extra: [("stroke", Palette.axis)]))
            marks.append(.text(axis.label(t), x: x, y: plotBottom + 16, anchor: "middle", extra: [("fill", Palette.muted)]))
        }
        marks.append(.line(x1: plotLeft, y1: plotBottom, x2: plotRight, y2: plotBottom, extra: [("stroke", Palette.axis)]))
        marks.append(
            .text(
                axis.title, x: (plotLeft + plotRight) / 2, y: plotBottom + 33, anchor: "middle",
                extra: [("fill", Palette.muted)]))
        return .group("x-axis", marks)
    }

    func yAxis(_ axis: Axis, scale: LinearScale, grid: Bool = true) -> SVGElement {
        var marks: [SVGElement] = []
        for t in axis.ticks {
            let y = scale(t)
            if grid { marks.append(.line(x1: plotLeft, y1: y, x2: plotRight, y2: y, extra: [("stroke", Palette.grid)])) }
            marks.append(.line(x1: plotLeft - 4, y1: y, x2: plotLeft, y2: y, extra: [("stroke", Palette.axis)]))
            marks.append(.text(axis.label(t), x: plotLeft - 7, y: y + 4, anchor: "end", extra: [("fill", Palette.muted)]))
        }
        marks.append(.line(x1: plotLeft, y1: plotTop, x2: plotLeft, y2: plotBottom, extra: [("stroke", Palette.axis)]))
        let cx = 12.0, cy = (plotTop + plotBottom) / 2
        marks.append(
            .text(
                axis.title, x: cx, y: cy, anchor: "middle",
                extra: [
                    ("fill", Palette.muted),
                    ("transform", "rotate(-90 \(SVGNumber.format(cx)) \(SVGNumber.format(cy)))"),
                ]))
        return .group("y-axis", marks)
    }

    /// Dashed vertical lines across the plot with their labels above it, in staggered rows.
    func markers(scale: LinearScale) -> SVGElement {
        var marks: [SVGElement] = []
        let firstRowY = 8 + Double(legendRows.count) * Self.legendRow + Self.markerRow - 3
        for (row, items) in markerRows.enumerated() {
            for m in items {
                let labelY = firstRowY + Double(row) * Self.markerRow
                marks.append(
                    .line(
                        x1: m.px, y1: labelY + 3, x2: m.px, y2: plotBottom,
                        extra: [
                            ("stroke", Palette.marker), ("stroke-width", "1"),
                            ("stroke-dasharray", "3 3"),
                        ]))
                marks.append(
                    .text(
                        m.label, x: m.endAnchored ? m.px - 3 : m.px + 3, y: labelY,
                        anchor: m.endAnchored ? "end" : "start",
                        extra: [("fill", Palette.marker), ("font-size", "11")]))
            }
        }
        return .group("markers", marks)
    }

    /// A marker with its label placed: at `px`, the label to the right of the line, or to its
    /// left (`endAnchored`) where it would run past the chart's right edge.
    struct PlacedMarker {
        var px: Double
        var label: String
        var endAnchored: Bool
        var extent: ClosedRange<Double>
    }

    /// Marker labels in rows so that none overlaps another.
    ///
    /// Markers at the same pixel share one label ("p50 100 % · p95 100 %") instead of drawing two
    /// lines on top of each other.
    static func stagger(_ markers: [VerticalMarker], scale: LinearScale, chartWidth: Double) -> [[PlacedMarker]] {
        var merged: [(px: Double, label: String)] = []
        for m in markers.sorted(by: { ($0.x, $0.label) < ($1.x, $1.label) }) {
            let px = scale(m.x)
            if let last = merged.last, abs(last.px - px) < 2 {
                merged[merged.count - 1].label += " · " + m.label
            } else {
                merged.append((px, m.label))
            }
        }
        var rows: [[PlacedMarker]] = []
        for m in merged {
            let w = textWidth(m.label, size: 11)
            let endAnchored = m.px + 3 + w > chartWidth - 4
            let extent = endAnchored ? (m.px - 3 - w - 4)...(m.px + 1) : (m.px - 1)...(m.px + 3 + w + 4)
            let placed = PlacedMarker(px: m.px, label: m.label, endAnchored: endAnchored, extent: extent)
            if let r = rows.firstIndex(where: { row in row.allSatisfy { !$0.extent.overlaps(extent) } }) {
                rows[r].append(placed)
            } else {
                rows.append([placed])
            }
        }
        return rows
    }

    // MARK: legend

    static func wrapLegend(_ items: [LegendItem], width: Double) -> [[LegendItem]] {
        var rows: [[LegendItem]] = []
        var used = 0.0
        for item in items {
            let w = itemWidth(item)
            if rows.isEmpty || used + w > width {
                rows.append([item]); used = w
            } else {
                rows[rows.count - 1].append(item); used += w
            }
        }
        return rows
    }

    static func itemWidth(_ item: LegendItem) -> Double { 26 + textWidth(item.label) + 18 }

    func legend() -> [SVGElement] {
        var out: [SVGElement] = []
        for (r, row) in legendRows.enumerated() {
            var x = plotLeft
            let y = 8 + Double(r) * Self.legendRow
            for item in row {
                var swatch: [SVGElement] = []
                switch item.swatch {
                case .line(let style):
                    swatch.append(
                        SVGElement(
                            "path",
                            [("d", "M\(SVGNumber.format(x)) \(SVGNumber.format(y + 7))h22")]
                                + style.attributes))
                case .fill(let style):
                    swatch.append(
                        .rect(
                            x: x, y: y, width: 22, height: 13,
                            extra: [("fill", style.fill(id)), ("stroke", style.stroke), ("stroke-width", "1")]))
                case .marker:
                    swatch.append(
                        .line(
                            x1: x + 11, y1: y, x2: x + 11, y2: y + 14,
                            extra: [("stroke", Palette.marker), ("stroke-dasharray", "3 3")]))
                case .point(let color):
                    swatch.append(Self.diamond(x: x + 11, y: y + 7, color: color))
                }
                swatch.append(.text(item.label, x: x + 27, y: y + 11))
                out.append(.group("legend-item", swatch))
                x += Self.itemWidth(item)
            }
        }
        return out.isEmpty ? [] : [.group("legend", out)]
    }

    static func diamond(x: Double, y: Double, color: String, size: Double = 5) -> SVGElement {
        let f = SVGNumber.format
        return SVGElement(
            "path",
            [
                ("d", "M\(f(x)) \(f(y - size))L\(f(x + size)) \(f(y))L\(f(x)) \(f(y + size))L\(f(x - size)) \(f(y))Z"),
                ("fill", color), ("stroke", "#ffffff"), ("stroke-width", "1"),
            ])
    }
}

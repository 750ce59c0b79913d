/// A named kind of bar with its fill (a node state, "elapsed since the fault").
public struct GanttCategory: Sendable, Equatable {
    public var name: String
    public var style: FillStyle
    public init(_ name: String, _ style: FillStyle) { self.name = name; self.style = style }
}

/// One bar segment of a row: `category` from `start` to `end` (x units).
public struct GanttSegment: Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var category: String
    /// Text inside the bar when it fits; the category's name when nil.
    ///
    /// For instance category "leader", label "server-1".
    public var label: String?
    public init(start: Double, end: Double, category: String, label: String? = nil) {
        self.start = start; self.end = end; self.category = category; self.label = label
    }
}

/// One row: a label on the left, segments, and an optional note right of the last segment.
public struct GanttRow: Sendable, Equatable {
    public var label: String
    public var segments: [GanttSegment]
    public var note: String?
    public init(label: String, segments: [GanttSegment], note: String? = nil) {
        self.label = label; self.segments = segments; self.note = note
    }
}

/// Horizontal bars over an x axis, one row per entity: node states over time, or the
/// milestones of a fault as bars from the fault to each milestone.
///
/// A segment wide enough carries its category's name inside it, and every category is in the
/// legend with its hatch, so the states can be read without telling colours apart.
public struct GanttChart: Sendable {
    public var id: String
    public var kind: String
    public var title: String
    public var description: String
    public var x: Axis
    public var categories: [GanttCategory]
    public var rows: [GanttRow]
    public var markers: [VerticalMarker]
    public var width: Double
    public var rowHeight: Double
    /// Write the category name inside segments that are wide enough.
    public var labelSegments: Bool
    /// Show the categories in a legend (off when a single category is named by the chart title).
    public var showLegend: Bool

    public init(
        id: String, kind: String, title: String, description: String, x: Axis, categories: [GanttCategory],
        rows: [GanttRow], markers: [VerticalMarker] = [], width: Double = 1000, rowHeight: Double = 22,
        labelSegments: Bool = true, showLegend: Bool = true
    ) {
        self.id = id; self.kind = kind; self.title = title; self.description = description; self.x = x
        self.categories = categories; self.rows = rows; self.markers = markers; self.width = width
        self.rowHeight = rowHeight; self.labelSegments = labelSegments; self.showLegend = showLegend
    }

    public func render() -> SVGElement {
        let left = 12 + min(220, rows.map { ChartFrame.textWidth($0.label) }.max() ?? 0) + 10
        let right = 16 + (rows.compactMap { $0.note.map { ChartFrame.textWidth($0, size: 11) + 6 } }.max() ?? 0)
        let xs = LinearScale(domain: x.lower...x.upper, range: (left, width - right))
        let used = Set(rows.flatMap { $0.segments.map(\.category) })
        let shown = categories.filter { used.contains($0.name) }
        let visibleMarkers = markers.filter { $0.x >= x.lower && $0.x <= x.upper }
        var legend = showLegend ? shown.map { LegendItem($0.name, .fill($0.style)) } : []
        if !visibleMarkers.isEmpty { legend.append(LegendItem("fault", .marker)) }
        let frame = ChartFrame(
            id: id, width: width, plotHeight: max(1, Double(rows.count)) * rowHeight, left: left,
            legend: legend, markers: visibleMarkers, markerScale: xs, right: right)
        let styles = Dictionary(categories.map { ($0.name, $0.style) }, uniquingKeysWith: { a, _ in a })

        var body = [frame.xAxis(x, scale: xs)]
        for (i, row) in rows.enumerated() {
            let top = frame.plotTop + Double(i) * rowHeight
            var marks: [SVGElement] = [
                .text(row.label, x: left - 8, y: top + rowHeight / 2 + 4, anchor: "end")
            ]
            for seg in row.segments {
                let a = xs(max(seg.start, x.lower)), b = xs(min(seg.end, x.upper))
                guard b > a else { continue }
                let style = styles[seg.category] ?? .other
                marks.append(
                    .rect(
                        x: a, y: top + 3, width: b - a, height: rowHeight - 6,
                        extra: [
                            ("fill", style.fill(id)), ("stroke", style.stroke), ("stroke-width", "1"),
                            ("data-category", seg.category),
                        ]))
                let text = seg.label ?? seg.category
                if labelSegments && ChartFrame.textWidth(text, size: 11) + 8 <= b - a {
                    marks.append(
                        .text(
                            text, x: (a + b) / 2, y: top + rowHeight / 2 + 4, anchor: "middle",
                            extra: [("font-size", "11"), ("fill", Palette.ink)]))
                }
            }
            if let note = row.note {
                let end = row.segments.map { xs(min($0.end, x.upper)) }.max() ?? left
                marks.append(
                    .text(
                        note, x: end + 5, y: top + rowHeight / 2 + 4,
                        extra: [("font-size", "11"), ("fill", Palette.muted)]))
            }
            body.append(.group("row", marks, extra: [("data-label", row.label)]))
        }
        if !visibleMarkers.isEmpty { body.append(frame.markers(scale: xs)) }
        let defs = Self.patterns(
            shown.map(\.style)
                + (rows.contains { r in r.segments.contains { styles[$0.category] == nil } }
                    ? [FillStyle.other] : []),
            prefix: id)
        return frame.svg(kind: kind, title: title, description: description, defs: defs, body: body)
    }

    /// One `<pattern>` per distinct hatched style, in first-use order.
    static func patterns(_ styles: [FillStyle], prefix: String) -> [SVGElement] {
        var seen: [String] = []
        var out: [SVGElement] = []
        for s in styles {
            guard let p = s.pattern(prefix) else { continue }
            let key = s.patternID(prefix)
            if !seen.contains(key) { seen.append(key); out.append(p) }
        }
        return out
    }
}

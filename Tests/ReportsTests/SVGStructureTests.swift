import Foundation
import Testing

@testable import Reports

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Collects the elements of an XML document (name and attributes, in document order).
final class ElementCollector: NSObject, XMLParserDelegate {
    struct Element { let name: String; let attributes: [String: String] }
    var elements: [Element] = []
    var text: [String: String] = [:]
    private var current: [String] = []
    var error: Error?

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        elements.append(Element(name: name, attributes: attributes))
        current.append(name)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        current.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let name = current.last { text[name, default: ""] += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }

    /// Parses `xml`; nil when it is not well-formed.
    static func parse(_ xml: String) -> ElementCollector? {
        let collector = ElementCollector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        return parser.parse() && collector.error == nil ? collector : nil
    }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }
}

/// The SVG module's output is well-formed XML with the accessibility and structure the reports
/// rely on: a named, described image; one path per series; labelled bars; legends.
@Suite struct SVGStructureTests {
    func checkRoot(_ doc: ElementCollector, id: String, kind: String) {
        let root = doc.elements.first
        #expect(root?.name == "svg")
        #expect(root?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root?.attributes["role"] == "img")
        #expect(root?.attributes["aria-labelledby"] == "\(id)-title \(id)-desc")
        #expect(root?.attributes["data-chart"] == kind)
        #expect(root?.attributes["viewBox"]?.hasPrefix("0 0 ") == true)
        #expect(doc.all("title").first?.attributes["id"] == "\(id)-title")
        #expect(doc.all("desc").first?.attributes["id"] == "\(id)-desc")
        // Every coordinate is a finite number.
        for e in doc.elements {
            for (key, value) in e.attributes where ["x", "y", "x1", "x2", "y1", "y2", "width", "height"].contains(key) {
                #expect(Double(value)?.isFinite == true, "\(e.name) \(key)=\(value)")
            }
        }
    }

    @Test func stepChartHasAPathPerSeriesAndLabelledMarkers() throws {
        let chart = StepChart(
            id: "c1", kind: "ready-replicas", title: "Ready <web> & co", description: "two series",
            x: .time("time", lower: 0, upper: 600), y: .nice(title: "ready", lower: 0, upper: 6, integer: true),
            series: [
                StepSeries(label: "web", points: [(0, 0), (10, 6), (100, 4), (100, 5), (300, 6)], style: Palette.line(0)),
                StepSeries(label: "api", points: [(0, 0), (20, 3)], style: Palette.line(1)),
            ],
            references: [ReferenceLine(y: 6, label: "desired 6")],
            markers: [VerticalMarker(x: 100, label: "F0 crash"), VerticalMarker(x: 105, label: "F1 rollout")])
        let svg = chart.render().render()
        let doc = try #require(ElementCollector.parse(svg), "not well-formed:\n\(svg)")
        checkRoot(doc, id: "c1", kind: "ready-replicas")
        #expect(doc.text["title"] == "Ready <web> & co")
        let series = doc.all("path").filter { $0.attributes["class"] == "series" }
        #expect(series.map { $0.attributes["data-label"] } == ["web", "api"])
        // Different dash patterns, not colour alone.
        #expect(series[0].attributes["stroke-dasharray"] == nil)
        #expect(series[1].attributes["stroke-dasharray"] != nil)
        // Two changes at t = 100 draw one step (to the last value), not a spike.
        let d = try #require(series[0].attributes["d"])
        #expect(d.components(separatedBy: "V").count - 1 == 3)
        // Close markers are staggered into two rows, so both labels are drawn and none overlaps.
        let texts = svg.components(separatedBy: "<text").count - 1
        #expect(texts > 10)
        #expect(svg.contains(">F0 crash</text>") && svg.contains(">F1 rollout</text>"))
        #expect(svg.contains(">desired 6</text>"))
        // The legend names both series and the marker.
        #expect(doc.all("g").filter { $0.attributes["class"] == "legend-item" }.count == 3)
    }

    @Test func stepPathClipsToTheAxis() {
        let xs = LinearScale(domain: 100...200, range: (0, 100)), ys = LinearScale(domain: 0...10, range: (100, 0))
        let d = StepChart.path([(0, 1), (50, 2), (150, 5), (250, 9)], xs: xs, ys: ys, xEnd: 200)
        #expect(d == "M0 80H50V50H100")
        #expect(StepChart.path([], xs: xs, ys: ys, xEnd: 200) == nil)
    }

    @Test func ganttChartLabelsBarsAndDefinesPatterns() throws {
        let chart = GanttChart(
            id: "g1", kind: "node-states", title: "Node states", description: "d",
            x: .time("time", lower: 0, upper: 3600),
            categories: [GanttCategory("Ready", .ready), GanttCategory("Down", .down), GanttCategory("Cordoned", .cordoned)],
            rows: [
                GanttRow(label: "agents-0", segments: [GanttSegment(start: 0, end: 3600, category: "Ready")]),
                GanttRow(
                    label: "agents-1",
                    segments: [
                        GanttSegment(start: 0, end: 600, category: "Ready"),
                        GanttSegment(start: 600, end: 1800, category: "Down"),
                        GanttSegment(start: 1800, end: 3600, category: "Ready"),
                    ]),
            ],
            markers: [VerticalMarker(x: 600, label: "F0 crash")])
        let svg = chart.render().render()
        let doc = try #require(ElementCollector.parse(svg))
        checkRoot(doc, id: "g1", kind: "node-states")
        let bars = doc.all("rect").filter { $0.attributes["data-category"] != nil }
        #expect(bars.map { $0.attributes["data-category"] } == ["Ready", "Ready", "Down", "Ready"])
        // The hatched state uses a pattern whose id carries the chart id (ids are page-wide).
        let patterns = doc.all("pattern").map { $0.attributes["id"] ?? "" }
        #expect(patterns == ["g1-crosshatch-D55E00"])
        #expect(bars[2].attributes["fill"] == "url(#g1-crosshatch-D55E00)")
        // Unused categories stay out of the legend; the used ones are named in it and in the bars.
        #expect(svg.contains(">Down</text>"))
        #expect(!svg.contains(">Cordoned</text>"))
        #expect(
            doc.all("g").filter { $0.attributes["class"] == "row" }.map { $0.attributes["data-label"] } == [
                "agents-0", "agents-1",
            ])
    }

    @Test func histogramBinsAtRoundEdges() {
        let h = Histogram(values: [44.8, 45.1, 46.2, 46.8, 47.0, 53.4])
        #expect(h.lower == 44)
        #expect(h.width == 1)
        #expect(h.counts.reduce(0, +) == 6)
        #expect(h.counts.first == 1 && h.counts.last == 1)
        #expect(h.upper >= 53.4)
        let edge = Histogram(values: [0, 10])
        #expect(edge.counts.reduce(0, +) == 2)
        #expect(edge.upper == 10)
        let single = Histogram(values: [47, 47, 47])
        #expect(single.counts == [3])
        #expect(single.lower <= 47 && single.upper > 47)
        #expect(Histogram(values: []).counts.isEmpty)
    }

    @Test(arguments: [DistributionChart.Style.histogram, .cdf])
    func distributionChartsMarkPercentiles(style: DistributionChart.Style) throws {
        let values = (0..<20).map { 44.0 + Double($0 * $0 % 17) / 2 }
        let chart = DistributionChart(
            id: "d-\(style.rawValue)", kind: style.rawValue, title: "t", description: "d", values: values, style: style,
            valueTitle: "seconds after the fault",
            markers: [VerticalMarker(x: 46.8, label: "p50 46.8 s"), VerticalMarker(x: 52.7, label: "p95 52.7 s")])
        let svg = chart.render().render()
        let doc = try #require(ElementCollector.parse(svg))
        checkRoot(doc, id: "d-\(style.rawValue)", kind: style.rawValue)
        #expect(svg.contains(">p50 46.8 s</text>") && svg.contains(">p95 52.7 s</text>"))
        if style == .histogram {
            let counts = doc.all("rect").compactMap { $0.attributes["data-count"].flatMap { Int($0) } }
            #expect(counts.reduce(0, +) == 20)
        } else {
            #expect(doc.all("path").filter { $0.attributes["class"] == "series" }.count == 1)
        }
    }

    @Test func equalPercentilesShareOneLabel() {
        let scale = LinearScale(domain: 0...1, range: (50, 450))
        let rows = ChartFrame.stagger(
            [
                VerticalMarker(x: 1, label: "p50 100 %"), VerticalMarker(x: 1, label: "p95 100 %"),
                VerticalMarker(x: 0.5, label: "p5 50 %"),
            ], scale: scale, chartWidth: 466)
        let all = rows.flatMap { $0 }
        #expect(all.count == 2)
        #expect(all.contains { $0.label == "p50 100 % · p95 100 %" && $0.endAnchored })
        #expect(all.contains { $0.label == "p5 50 %" && !$0.endAnchored })
    }

    @Test func rangeChartDrawsRangesCentresAndPoints() throws {
        let chart = RangeChart(
            id: "v0", kind: "validation", title: "t", description: "d", x: .time("time after the fault", lower: 0, upper: 400),
            rangeName: "simulated min–max", centerName: "simulated p50",
            points: [RangeChart.PointSeries(name: "observed", color: Palette.vermillion)],
            rows: [
                RangeRow(label: "nodeNotReady", range: 44...53, center: 47, points: [(series: 0, x: 67.5)]),
                RangeRow(label: "recovered", range: nil, center: 360, points: []),
            ])
        let svg = chart.render().render()
        let doc = try #require(ElementCollector.parse(svg))
        checkRoot(doc, id: "v0", kind: "validation")
        #expect(doc.all("rect").filter { $0.attributes["class"] == "range" }.count == 1)
        #expect(doc.all("line").filter { $0.attributes["class"] == "center" }.count == 2)
        #expect(svg.contains(">observed</text>") && svg.contains(">simulated p50</text>"))
    }

    /// A scatter point sits right of a cheaper one and, with higher availability, above it
    /// (SVG's y grows downwards); each point is named beside its mark.
    @Test func scatterPlacesAndNamesPoints() throws {
        let chart = ScatterChart(
            id: "s0", kind: "cost-availability", title: "t", description: "d",
            x: Axis(title: "EUR per month", lower: 0, upper: 100, step: 25),
            y: Axis(title: "availability", lower: 90, upper: 100, step: 5, suffix: " %"),
            points: [ScatterPoint(label: "cheap", x: 25, y: 95), ScatterPoint(label: "dear", x: 75, y: 99)])
        let svg = chart.render().render()
        let doc = try #require(ElementCollector.parse(svg))
        checkRoot(doc, id: "s0", kind: "cost-availability")
        // The points' labels are the only 11 px texts.
        let labels = doc.all("text").filter { $0.attributes["font-size"] == "11" }
        #expect(labels.count == 2 && svg.contains(">cheap</text>") && svg.contains(">dear</text>"))
        let x = labels.map { Double($0.attributes["x"] ?? "") ?? .nan },
            y = labels.map { Double($0.attributes["y"] ?? "") ?? .nan }
        #expect(x[0] < x[1] && y[0] > y[1])
        // 95 % and 99 % on a 90–100 % axis of 260 px: 0.4 · 260 apart.
        #expect(abs((y[0] - y[1]) - 0.4 * 260) < 0.01)
    }

    /// Stacked columns: positive parts upwards from zero, a credit below it, each part with its
    /// category (hatched, named in the legend and, where it fits, in the bar), totals above the
    /// columns, and a column without data that says why.
    @Test func stackedColumnsStackUpAndDownAndNameTheirParts() throws {
        let chart = StackedColumnChart(
            id: "s1", kind: "cost-by-category", title: "Cost", description: "d", valueTitle: "EUR per month",
            categories: CostSection.categoryStyles,
            columns: [
                StackedColumn(
                    label: "#1", sublabel: "hetzner-k3s-ha",
                    segments: [
                        StackedSegment(category: "compute", value: 115.43),
                        StackedSegment(category: "network", value: 3.5),
                        StackedSegment(category: "services", value: 2.31),
                    ], total: "121.24 EUR"),
                StackedColumn(
                    label: "#2", sublabel: "gke",
                    segments: [
                        StackedSegment(category: "compute", value: 200),
                        StackedSegment(category: "credit", value: -74.4),
                    ],
                    total: "125.60 EUR"),
                StackedColumn(label: "#3", sublabel: "old", segments: [], missing: "no cost stored"),
            ])
        let svg = chart.render().render()
        let doc = try #require(ElementCollector.parse(svg), "not well-formed:\n\(svg)")
        checkRoot(doc, id: "s1", kind: "cost-by-category")
        let bars = doc.all("rect").filter { $0.attributes["data-category"] != nil }
        #expect(bars.map { $0.attributes["data-category"] } == ["compute", "network", "services", "compute", "credit"])
        func top(_ i: Int) -> Double { Double(bars[i].attributes["y"] ?? "") ?? .nan }
        func bottom(_ i: Int) -> Double { top(i) + (Double(bars[i].attributes["height"] ?? "") ?? .nan) }
        // Stacked: each part starts where the one below it ends; the credit hangs below zero.
        #expect(abs(bottom(1) - top(0)) < 0.02 && abs(bottom(2) - top(1)) < 0.02)
        let zero = try #require(
            doc.all("line").first { $0.attributes["class"] == "baseline" }.flatMap { Double($0.attributes["y1"] ?? "") })
        #expect(abs(bottom(0) - zero) < 0.02 && abs(bottom(3) - zero) < 0.02 && abs(top(4) - zero) < 0.02)
        // Hatched categories use patterns named after the chart; compute is a plain tint.
        #expect(
            doc.all("pattern").map { $0.attributes["id"] ?? "" } == [
                "s1-diagonal-E69F00", "s1-crosshatch-D55E00", "s1-horizontal-56B4E9",
            ])
        #expect(bars[0].attributes["fill"] == FillStyle.neutral.tint)
        // Named in the legend (the four used categories) and inside the tall parts.
        #expect(doc.all("g").filter { $0.attributes["class"] == "legend-item" }.count == 4)
        #expect(doc.all("text").filter { $0.attributes["class"] == "segment-label" }.count == 6)
        // Parts too thin for a label inside are labelled beside the bar, with a leader line, without overlapping.
        let side = try #require(ElementCollector.parse(svg)).all("text").filter { $0.attributes["class"] == "side-label" }
        #expect(side.count == 2 && doc.all("line").filter { $0.attributes["class"] == "leader" }.count == 2)
        #expect(svg.contains(">network 3.50</text>") && svg.contains(">services 2.31</text>"))
        let sideYs = side.compactMap { Double($0.attributes["y"] ?? "") }
        #expect(sideYs.count == 2 && abs(sideYs[0] - sideYs[1]) >= StackedColumnChart.sideRow)
        #expect(
            svg.contains(">121.24 EUR</text>") && svg.contains(">no cost stored</text>") && svg.contains(">hetzner-k3s-ha</text>")
        )
        #expect(
            doc.all("g").filter { $0.attributes["class"] == "column" }.map { $0.attributes["data-label"] }
                == ["#1 hetzner-k3s-ha", "#2 gke", "#3 old"])
    }

    @Test func textIsEscaped() {
        let e = SVGElement("text", [("data-x", "a\"b<c>")], text: "R&D <5> 'q'")
        #expect(e.render() == "<text data-x=\"a&quot;b&lt;c&gt;\">R&amp;D &lt;5&gt; &#39;q&#39;</text>\n")
    }
}

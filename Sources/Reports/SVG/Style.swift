/// Colours, dash patterns and fill patterns of the charts.
///
/// Colours are the Okabe–Ito palette (distinguishable with the common colour-vision
/// deficiencies). Colour is never the only cue: every line series also has its own dash
/// pattern, every category fill its own hatch pattern, and both are named in a legend or next
/// to the mark. Styles are SVG presentation attributes, not CSS classes, so a chart looks the
/// same when it is copied out of the page.
public enum Palette {
    public static let ink = "#1a1a1a"
    /// Secondary text and axis labels (contrast ≥ 7:1 on white).
    public static let muted = "#4d4d4d"
    public static let axis = "#7a7a7a"
    public static let grid = "#e4e4e4"
    public static let marker = "#333333"

    public static let blue = "#0072B2"
    public static let vermillion = "#D55E00"
    public static let green = "#009E73"
    public static let orange = "#E69F00"
    public static let purple = "#CC79A7"
    public static let sky = "#56B4E9"

    /// Line styles for up to six series in one chart; further series reuse them in order (the
    /// legend and labels still tell them apart).
    public static let lines: [LineStyle] = [
        LineStyle(stroke: blue, dash: nil),
        LineStyle(stroke: vermillion, dash: "7 3"),
        LineStyle(stroke: green, dash: "2 3"),
        LineStyle(stroke: purple, dash: "9 3 2 3"),
        LineStyle(stroke: ink, dash: "12 4"),
        LineStyle(stroke: orange, dash: "4 2 4 6"),
    ]

    public static func line(_ index: Int) -> LineStyle { lines[index % lines.count] }
}

/// How a line series is drawn.
public struct LineStyle: Sendable, Equatable {
    public var stroke: String
    /// SVG `stroke-dasharray`; nil for a solid line.
    public var dash: String?
    public var width: Double

    public init(stroke: String, dash: String?, width: Double = 2) {
        self.stroke = stroke; self.dash = dash; self.width = width
    }

    var attributes: [(String, String)] {
        var a = [("fill", "none"), ("stroke", stroke), ("stroke-width", SVGNumber.format(width))]
        if let dash { a.append(("stroke-dasharray", dash)) }
        return a
    }
}

/// How a category (a node state, a histogram bar, a range) is filled: a light tint for the
/// area, a strong colour for its outline and hatching, so dark text stays readable on it.
public struct FillStyle: Sendable, Equatable {
    public enum Hatch: String, Sendable { case none, diagonal, crosshatch, dots, vertical, horizontal }
    public var tint: String
    public var stroke: String
    public var hatch: Hatch

    public init(tint: String, stroke: String, hatch: Hatch = .none) {
        self.tint = tint; self.stroke = stroke; self.hatch = hatch
    }

    public static let ready = FillStyle(tint: "#bfe5d8", stroke: Palette.green)
    public static let notReady = FillStyle(tint: "#fbe6b9", stroke: Palette.orange, hatch: .diagonal)
    public static let down = FillStyle(tint: "#f6cdb6", stroke: Palette.vermillion, hatch: .crosshatch)
    public static let cordoned = FillStyle(tint: "#d3eaf8", stroke: Palette.blue, hatch: .dots)
    public static let upgrading = FillStyle(tint: "#f0d5e6", stroke: Palette.purple, hatch: .vertical)
    public static let neutral = FillStyle(tint: "#cfe3f1", stroke: Palette.blue)
    public static let other = FillStyle(tint: "#e6e6e6", stroke: Palette.muted, hatch: .vertical)

    /// The id of this style's `<pattern>` in a chart whose ids start with `prefix`.
    func patternID(_ prefix: String) -> String { "\(prefix)-\(hatch.rawValue)-\(stroke.dropFirst())" }

    /// The `fill` attribute value: the tint, or the hatch pattern (which paints the tint itself).
    func fill(_ prefix: String) -> String { hatch == .none ? tint : "url(#\(patternID(prefix)))" }

    /// The `<pattern>` definition for this style, or nil when it needs none.
    ///
    /// Pattern ids are document-wide in HTML, so each chart prefixes them with its own id.
    func pattern(_ prefix: String) -> SVGElement? {
        guard hatch != .none else { return nil }
        let size = 6.0
        var marks: [SVGElement] = [.rect(x: 0, y: 0, width: size, height: size, extra: [("fill", tint)])]
        let stroke: [(String, String)] = [("stroke", self.stroke), ("stroke-width", "1.2")]
        switch hatch {
        case .none: break
        case .diagonal:
            marks.append(.line(x1: 0, y1: size, x2: size, y2: 0, extra: stroke))
        case .crosshatch:
            marks.append(.line(x1: 0, y1: size, x2: size, y2: 0, extra: stroke))
            marks.append(.line(x1: 0, y1: 0, x2: size, y2: size, extra: stroke))
        case .dots:
            marks.append(SVGElement("circle", [("cx", "3"), ("cy", "3"), ("r", "1.1"), ("fill", self.stroke)]))
        case .vertical:
            marks.append(.line(x1: 3, y1: 0, x2: 3, y2: size, extra: stroke))
        case .horizontal:
            marks.append(.line(x1: 0, y1: 3, x2: size, y2: 3, extra: stroke))
        }
        return SVGElement(
            "pattern",
            [
                ("id", patternID(prefix)), ("patternUnits", "userSpaceOnUse"),
                ("width", SVGNumber.format(size)), ("height", SVGNumber.format(size)),
            ],
            children: marks)
    }
}

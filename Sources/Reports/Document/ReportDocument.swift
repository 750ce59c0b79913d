/// A report as content, before it becomes HTML or Markdown.
///
/// Builders (run, Monte Carlo, comparison, validation) produce one of these; the two renderers
/// turn it into text. So both formats always carry the same facts in the same order, and a new
/// report kind needs no rendering code of its own.
public struct ReportDocument: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case run, monteCarlo = "montecarlo", comparison, validation
    }

    public var kind: Kind
    public var title: String
    /// One line under the title (what was run, where it is stored).
    public var subtitle: RichText?
    public var sections: [ReportSection]

    public init(kind: Kind, title: String, subtitle: RichText? = nil, sections: [ReportSection]) {
        self.kind = kind; self.title = title; self.subtitle = subtitle; self.sections = sections
    }

    /// Every chart of the document, in order (for tests and for the browser check's expectations).
    public var charts: [ReportChart] {
        sections.flatMap {
            $0.blocks.flatMap { block -> [ReportChart] in
                switch block {
                case .chart(let c): return [c]
                case .chartGrid(let cs): return cs
                default: return []
                }
            }
        }
    }
}

/// A titled part of a report (a `<section>` with an `<h2>`, a `##` in Markdown).
public struct ReportSection: Sendable {
    /// Anchor id, unique in the document.
    public var id: String
    public var title: String
    public var blocks: [ReportBlock]

    public init(id: String, title: String, blocks: [ReportBlock]) {
        self.id = id; self.title = title; self.blocks = blocks
    }
}

public enum ReportBlock: Sendable {
    /// A sub-heading inside a section (`<h3>`, `###`).
    case heading(String)
    case paragraph(RichText)
    case list([RichText])
    /// Label–value pairs (`<dl>`; a two-column table in Markdown).
    case facts([(String, RichText)])
    case table(ReportTable)
    case chart(ReportChart)
    /// Small multiples: several charts meant to be read side by side.
    case chartGrid([ReportChart])
    /// Something the reader should know that is not a result: what comes in a later version.
    case notice(title: String, text: RichText)
    /// Preformatted text (the scenario file), collapsed in HTML.
    case code(summary: String, language: String, text: String)
}

/// A table; cells are rich text so names can be set as code.
public struct ReportTable: Sendable {
    public var header: [String]
    public var rows: [[RichText]]
    /// Right-aligned columns (numbers), by index.
    public var numeric: Set<Int>
    public var caption: String?

    public init(header: [String], rows: [[RichText]], numeric: Set<Int> = [], caption: String? = nil) {
        self.header = header; self.rows = rows; self.numeric = numeric; self.caption = caption
    }
}

/// A chart with everything a reader without the picture needs: a caption, and a summary in
/// words (the SVG's description, the Markdown text, the screen reader's text).
public struct ReportChart: Sendable {
    /// The SVG root's id (unique in the document).
    public var id: String
    /// What the chart shows, for tests and the browser check: "ready-replicas", "node-states",
    /// "pending-pods", "milestones", "histogram", "cdf", "validation", "comparison", "cost-by-category".
    public var kind: String
    public var caption: String
    public var svg: SVGElement
    public var summary: [RichText]

    public init(id: String, kind: String, caption: String, svg: SVGElement, summary: [RichText]) {
        self.id = id; self.kind = kind; self.caption = caption; self.svg = svg; self.summary = summary
    }
}

/// Text with a little structure: plain runs, strong runs and code runs.
///
/// Each renderer escapes plain text for its format, so names and mechanisms from the store can
/// never inject markup.
public struct RichText: Sendable, Equatable, ExpressibleByStringLiteral {
    public enum Span: Sendable, Equatable {
        case plain(String), strong(String), code(String)
    }
    public var spans: [Span]

    public init(_ spans: [Span]) { self.spans = spans }
    public init(_ text: String) { spans = text.isEmpty ? [] : [.plain(text)] }
    public init(stringLiteral value: String) { self.init(value) }

    public static func strong(_ s: String) -> RichText { RichText([.strong(s)]) }
    public static func code(_ s: String) -> RichText { RichText([.code(s)]) }
    public static func + (a: RichText, b: RichText) -> RichText { RichText(a.spans + b.spans) }
    public static func + (a: RichText, b: String) -> RichText { a + RichText(b) }
    public static func + (a: String, b: RichText) -> RichText { RichText(a) + b }

    /// The text without markup (for SVG descriptions and tests).
    public var plain: String {
        spans.map { span -> String in
            switch span {
            case .plain(let s), .strong(let s), .code(let s): return s
            }
        }.joined()
    }
}

extension Array where Element == RichText {
    /// Joins rich texts with a plain separator.
    func joined(separator: String) -> RichText {
        var out = RichText([])
        for (i, t) in enumerated() {
            if i > 0 { out = out + separator }
            out = out + t
        }
        return out
    }
}

import Foundation

/// A minimal SVG/XML element tree, rendered as text.
///
/// Charts build trees of these instead of concatenating strings, so that escaping happens in
/// one place and every document is well-formed (the tests parse it with `XMLParser`).
/// Attributes are an ordered list, not a dictionary: output must be byte-for-byte the same on
/// every run, so that committed reports and golden files only change when the content does.
public struct SVGElement: Sendable, Equatable {
    public var name: String
    public var attributes: [(String, String)]
    public var children: [SVGElement]
    /// Character data (escaped on output); rendered before the children.
    public var text: String?

    public init(
        _ name: String, _ attributes: [(String, String)] = [], text: String? = nil,
        children: [SVGElement] = []
    ) {
        self.name = name; self.attributes = attributes; self.text = text; self.children = children
    }

    public static func == (a: SVGElement, b: SVGElement) -> Bool {
        a.name == b.name && a.text == b.text && a.children == b.children
            && a.attributes.map(\.0) == b.attributes.map(\.0) && a.attributes.map(\.1) == b.attributes.map(\.1)
    }

    /// The element as XML: one element per line (diff-friendly), no indentation.
    public func render() -> String {
        var out = ""
        render(into: &out)
        return out
    }

    func render(into out: inout String) {
        out += "<" + name
        for (key, value) in attributes { out += " \(key)=\"\(XMLText.escape(value))\"" }
        if text == nil && children.isEmpty {
            out += "/>\n"
            return
        }
        out += ">"
        if let text { out += XMLText.escape(text) }
        if !children.isEmpty {
            out += "\n"
            for child in children { child.render(into: &out) }
        }
        out += "</\(name)>\n"
    }
}

/// Escaping for XML and HTML text and attribute values (the same five characters serve both).
public enum XMLText {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}

/// Coordinates in SVG output: at most two decimals, no trailing zeros, never "-0".
///
/// Pixel precision beyond that is invisible and only makes files larger and diffs noisier.
public enum SVGNumber {
    public static func format(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let rounded = (x * 100).rounded() / 100
        if rounded == 0 { return "0" }
        if rounded == rounded.rounded() { return String(Int64(rounded)) }
        var s = String(format: "%.2f", rounded)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}

extension SVGElement {
    static func text(
        _ content: String, x: Double, y: Double, anchor: String = "start",
        cssClass: String? = nil, extra: [(String, String)] = []
    ) -> SVGElement {
        var attrs = [("x", SVGNumber.format(x)), ("y", SVGNumber.format(y))]
        if anchor != "start" { attrs.append(("text-anchor", anchor)) }
        if let cssClass { attrs.append(("class", cssClass)) }
        return SVGElement("text", attrs + extra, text: content)
    }

    static func line(
        x1: Double, y1: Double, x2: Double, y2: Double, cssClass: String? = nil,
        extra: [(String, String)] = []
    ) -> SVGElement {
        var attrs = [
            ("x1", SVGNumber.format(x1)), ("y1", SVGNumber.format(y1)),
            ("x2", SVGNumber.format(x2)), ("y2", SVGNumber.format(y2)),
        ]
        if let cssClass { attrs.append(("class", cssClass)) }
        return SVGElement("line", attrs + extra)
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, extra: [(String, String)] = []) -> SVGElement {
        SVGElement(
            "rect",
            [
                ("x", SVGNumber.format(x)), ("y", SVGNumber.format(y)),
                ("width", SVGNumber.format(max(0, width))), ("height", SVGNumber.format(max(0, height))),
            ]
                + extra)
    }

    static func group(_ cssClass: String, _ children: [SVGElement], extra: [(String, String)] = []) -> SVGElement {
        SVGElement("g", [("class", cssClass)] + extra, children: children)
    }
}

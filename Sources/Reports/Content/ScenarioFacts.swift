import Foundation

/// The few scenario settings a report shows that the RunRecord does not carry (description,
/// platform, datastore), read from the scenario text stored with the run.
///
/// Reports depend on the store only, not on the Scenario module (which brings a YAML parser
/// and manifest loading), so this is a deliberately small reader for block-style mappings
/// (`key: value` under indented keys) and one-line flow mappings (`platform: {a: b, c: d}`).
/// It never fails: what it cannot read is reported as absent, and the report shows the
/// whole scenario file in an appendix anyway.
struct ScenarioFacts: Equatable {
    /// Dotted path → scalar value, such as "spec.platform.provider" → "hetzner".
    private(set) var values: [String: String] = [:]

    init(text: String) {
        var stack: [(indent: Int, key: String)] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = Self.stripComment(String(rawLine))
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed == "---" { continue }
            let indent = line.prefix { $0 == " " }.count
            // A sequence item starts a new, unnamed context: its keys are not recorded.
            if trimmed.hasPrefix("- ") || trimmed == "-" {
                while let last = stack.last, last.indent >= indent { stack.removeLast() }
                stack.append((indent, "[]"))
                continue
            }
            guard let colon = Self.keyColon(trimmed) else { continue }
            let key = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
            let rest = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            while let last = stack.last, last.indent >= indent { stack.removeLast() }
            let path = (stack.map(\.key) + [key]).joined(separator: ".")
            if rest.isEmpty {
                stack.append((indent, key))
            } else if rest.hasPrefix("{") && rest.hasSuffix("}") {
                for (k, v) in Self.flowPairs(String(rest.dropFirst().dropLast())) { values[path + "." + k] = v }
            } else if !path.contains("[]") {
                values[path] = Self.unquote(rest)
            }
        }
    }

    subscript(_ path: String) -> String? { values[path] }

    var description: String? { self["metadata.description"] }
    var distribution: String? { self["spec.platform.distribution"] }
    var provider: String? { self["spec.platform.provider"] }
    var region: String? { self["spec.platform.region"] }
    var kubernetesVersion: String? { self["spec.platform.kubernetesVersion"] }
    var datastore: String? { self["spec.controlPlane.datastore"] }

    /// "k3s on hetzner (eu-central), Kubernetes 1.33", from what is known.
    var platformLine: String? {
        guard let d = distribution else { return nil }
        var s = d
        if let p = provider { s += " on \(p)" }
        if let r = region { s += " (\(r))" }
        if let v = kubernetesVersion { s += ", Kubernetes \(v)" }
        return s
    }

    /// Drops a `#` comment that is outside quotes and starts a word.
    static func stripComment(_ line: String) -> String {
        var quote: Character?
        var previous: Character = " "
        for (i, c) in zip(line.indices, line) {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" && (previous == " " || i == line.startIndex) {
                return String(line[..<i])
            }
            previous = c
        }
        return line
    }

    /// The colon that ends a mapping key (followed by a space or the end of the line), outside quotes.
    static func keyColon(_ s: String) -> String.Index? {
        var quote: Character?
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "{" || c == "[" {
                return nil
            } else if c == ":" {
                let next = s.index(after: i)
                if next == s.endIndex || s[next] == " " { return i }
            }
            i = s.index(after: i)
        }
        return nil
    }

    /// `a: b, c: "d"` → [("a","b"), ("c","d")]; nested braces and brackets are skipped whole.
    static func flowPairs(_ s: String) -> [(String, String)] {
        var parts: [String] = [], current = "", depth = 0
        var quote: Character?
        for c in s {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "{" || c == "[" {
                depth += 1
            } else if c == "}" || c == "]" {
                depth -= 1
            } else if c == "," && depth == 0 {
                parts.append(current); current = ""; continue
            }
            current.append(c)
        }
        parts.append(current)
        return parts.compactMap { part in
            let t = part.trimmingCharacters(in: .whitespaces)
            guard let colon = keyColon(t) else { return nil }
            let value = String(t[t.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            guard !value.hasPrefix("{"), !value.hasPrefix("[") else { return nil }
            return (String(t[..<colon]), unquote(value))
        }
    }

    static func unquote(_ s: String) -> String {
        if s.count >= 2, let f = s.first, f == "\"" || f == "'", s.last == f { return String(s.dropFirst().dropLast()) }
        return s
    }
}

import Foundation

/// `labelSelector` and `fieldSelector` query parameters: equality, inequality, set-based
/// (`in`, `notin`) and existence requirements, as `kubectl -l` and `--field-selector` send them.
struct Selector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String), notEquals(String, String)
        case isIn(String, Set<String>), notIn(String, Set<String>)
        case exists(String), notExists(String)
    }
    var requirements: [Requirement] = []

    /// nil when the text cannot be parsed.
    init?(_ text: String?) {
        guard let text, !text.isEmpty else { return }
        for part in Selector.split(text) {
            let p = part.trimmingCharacters(in: .whitespaces)
            if p.isEmpty { continue }
            if let r = Selector.setRequirement(p) { requirements.append(r); continue }
            if let r = p.range(of: "!=") {
                requirements.append(.notEquals(String(p[..<r.lowerBound]), String(p[r.upperBound...])))
            } else if let r = p.range(of: "==") ?? p.range(of: "=") {
                requirements.append(.equals(String(p[..<r.lowerBound]), String(p[r.upperBound...])))
            } else if p.hasPrefix("!") {
                requirements.append(.notExists(String(p.dropFirst())))
            } else if p.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }) {
                requirements.append(.exists(p))
            } else {
                return nil
            }
        }
    }

    /// Splits at commas outside parentheses (`env in (a,b),tier=web`).
    static func split(_ text: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for c in text {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if c == ",", depth == 0 { parts.append(current); current = "" } else { current.append(c) }
        }
        parts.append(current)
        return parts
    }

    static func setRequirement(_ p: String) -> Requirement? {
        for (op, negated) in [(" notin ", true), (" in ", false)] {
            guard let r = p.range(of: op), let open = p.firstIndex(of: "("), let close = p.lastIndex(of: ")") else { continue }
            let key = p[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
            let values = Set(
                p[p.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            return negated ? .notIn(key, values) : .isIn(key, values)
        }
        return nil
    }

    /// Whether `fields` (labels, or field paths such as `spec.nodeName`) satisfy every requirement.
    func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { r in
            switch r {
            case .equals(let k, let v): return fields[k] == v
            case .notEquals(let k, let v): return fields[k] != v
            case .isIn(let k, let vs): return fields[k].map { vs.contains($0) } ?? false
            case .notIn(let k, let vs): return fields[k].map { !vs.contains($0) } ?? true
            case .exists(let k): return fields[k] != nil
            case .notExists(let k): return fields[k] == nil
            }
        }
    }
}

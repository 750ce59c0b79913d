import KubeModel
import Yams

/// A problem with a scenario or manifest the user wrote: where and what, in one sentence.
///
/// Where is file:line:column and the field path. The CLI prints it and exits with code 2.
public struct ScenarioError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let column: Int?
    /// Dotted path of the field, such as `spec.nodePools[0].count`.
    public let field: String
    public let message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String = "", message: String) {
        self.file = file; self.line = line; self.column = column; self.field = field; self.message = message
    }

    /// One line: control characters from the input (in a path, a key or a value the message
    /// quotes) are escaped, never written raw to the terminal.
    public var description: String {
        var where_ = Escape.text(file)
        if let line { where_ += ":\(line)" }
        if let column { where_ += ":\(column)" }
        let message = Escape.text(self.message)
        return field.isEmpty ? "\(where_): \(message)" : "\(where_): \(Escape.text(field)): \(message)"
    }
}

/// An error found after decoding, at a path in the document.
struct FieldError: Error {
    let path: [String]
    let message: String
    /// Point at the key itself rather than its value (unknown fields).
    var atKey = false
}

enum PathKey: CustomStringConvertible, Equatable {
    case key(String), index(Int)
    var description: String {
        switch self {
        case .key(let k): return k;
        case .index(let i): return "[\(i)]"
        }
    }
}

/// Turns coding paths into positions by walking the composed YAML node tree.
struct SourceMap {
    let file: String
    let root: Node?
    /// The document's text, to position errors the YAML parser reports imprecisely.
    var text: String? = nil

    func error(path: [PathKey], atKey: Bool, message: String) -> ScenarioError {
        let (mark, found) = locate(path, atKey: atKey)
        return ScenarioError(
            file: file, line: mark?.line, column: mark?.column,
            field: SourceMap.render(found.isEmpty ? path : path), message: message)
    }

    static func render(_ path: [PathKey]) -> String {
        var s = ""
        for p in path {
            switch p {
            case .key(let k): s += s.isEmpty ? k : ".\(k)"
            case .index(let i): s += "[\(i)]"
            }
        }
        return s
    }

    /// The mark of the deepest node reached along `path`.
    func locate(_ path: [PathKey], atKey: Bool) -> (Mark?, [PathKey]) {
        guard var node = root else { return (nil, []) }
        var mark = node.mark
        var walked: [PathKey] = []
        for (i, step) in path.enumerated() {
            let last = i == path.count - 1
            switch (step, node) {
            case (.key(let k), .mapping(let m)):
                guard let pair = m.first(where: { $0.key.string == k }) else { return (mark, walked) }
                if last && atKey { return (pair.key.mark, walked + [step]) }
                node = pair.value
            case (.index(let idx), .sequence(let s)):
                guard idx < s.count else { return (mark, walked) }
                node = s[idx]
            default:
                return (mark, walked)
            }
            walked.append(step)
            mark = node.mark ?? mark
        }
        return (mark, walked)
    }

    static func pathKeys(_ codingPath: [CodingKey]) -> [PathKey] {
        codingPath.map { k in k.intValue.map { PathKey.index($0) } ?? .key(k.stringValue) }
    }

    /// Converts whatever decoding threw into a positioned ScenarioError.
    func convert(_ error: Error) -> ScenarioError {
        switch error {
        case let e as ScenarioError:
            return e
        case let e as FieldError:
            return self.error(path: e.path.map { PathKey.key($0) }, atKey: e.atKey, message: e.message)
        case let e as PositionedFieldError:
            return self.error(path: e.path, atKey: e.atKey, message: e.message)
        case let e as UnknownFieldError:
            return self.error(path: SourceMap.pathKeys(e.codingPath), atKey: true, message: e.description)
        case let e as DecodingError:
            switch e {
            case .keyNotFound(let key, let ctx):
                return self.error(
                    path: SourceMap.pathKeys(ctx.codingPath), atKey: false,
                    message: "missing required field \"\(key.stringValue)\"")
            case .typeMismatch(let type, let ctx):
                return self.error(
                    path: SourceMap.pathKeys(ctx.codingPath), atKey: false,
                    message: "expected \(SourceMap.describe(type))")
            case .valueNotFound(let type, let ctx):
                return self.error(
                    path: SourceMap.pathKeys(ctx.codingPath), atKey: false,
                    message: "expected \(SourceMap.describe(type)), found nothing")
            case .dataCorrupted(let ctx):
                return self.error(path: SourceMap.pathKeys(ctx.codingPath), atKey: false, message: ctx.debugDescription)
            @unknown default:
                return ScenarioError(file: file, message: "\(e)")
            }
        case let e as YamlError:
            return SourceMap.yamlError(e, file: file, text: text)
        default:
            return ScenarioError(file: file, message: "\(error)")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "Int", "Int32", "Int64", "UInt64": return "an integer"
        case "Double": return "a number"
        case "Bool": return "true or false"
        case "String": return "a string"
        // What Yams names when the node has the wrong shape.
        case "Mapping": return "a mapping"
        case "Sequence": return "a list"
        case "Scalar": return "a single value, not a list or mapping"
        default:
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping" }
            return "a \(name)"
        }
    }

    static func yamlError(_ e: YamlError, file: String, text: String? = nil) -> ScenarioError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ScenarioError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let dups, let ctx):
            // Yams marks the first occurrence of (the first of) the keys, without a path.
            // Point at the repetition, with its field path, as kubectl does.
            if dups.count == 1, let text, let repeated = repeatedKey(dups[0], first: ctx.mark, in: text) {
                return ScenarioError(
                    file: file, line: repeated.line, column: repeated.column, field: render(repeated.path),
                    message: "duplicate key \"\(dups[0])\" (first at line \(ctx.mark.line), column \(ctx.mark.column))")
            }
            return ScenarioError(
                file: file, line: ctx.mark.line, column: ctx.mark.column,
                message: "duplicate key(s) \(dups.joined(separator: ", "))")
        case .reader(let problem, let offset, _, let yaml):
            // Never the text itself: the file may be anything (/proc/self/environ).
            let (line, column) = offset.map { position(ofByte: $0, in: yaml) } ?? (nil, nil)
            return ScenarioError(file: file, line: line, column: column, message: "invalid YAML: \(problem)")
        default:
            return ScenarioError(
                file: file, message: "invalid YAML (\(String(describing: e).prefix(while: { $0 != ":" && $0 != "\n" })))")
        }
    }

    /// 1-based line and column (in characters) of a byte offset into `text`.
    static func position(ofByte offset: Int, in text: String) -> (Int?, Int?) {
        var line = 1, column = 1, bytes = 0
        for c in text.unicodeScalars {
            if bytes >= offset { break }
            bytes += String(c).utf8.count
            if c == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}

extension SourceMap {
    /// Where `key`, first written at `first`, is repeated.
    ///
    /// It renames the first occurrence in the text, composes again and finds the mapping holding
    /// both names. Nil when the key is not a plain or quoted scalar at that mark, or the text still
    /// does not compose.
    static func repeatedKey(_ key: String, first: Mark, in text: String) -> (line: Int, column: Int, path: [PathKey])? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0).unicodeScalars) }
        guard first.line >= 1, first.line <= lines.count, first.column >= 1, first.column <= lines[first.line - 1].count else {
            return nil
        }
        var line = lines[first.line - 1]
        var at = first.column - 1
        if line[at] == "\"" || line[at] == "'" { at += 1 }
        let keyScalars = Array(key.unicodeScalars)
        guard line.count - at >= keyScalars.count, Array(line[at..<(at + keyScalars.count)]) == keyScalars else { return nil }
        let marker = "k3sim-first-occurrence-"
        line.insert(contentsOf: marker.unicodeScalars, at: at)
        lines[first.line - 1] = line
        var renamed = String.UnicodeScalarView()
        for (i, l) in lines.enumerated() {
            if i > 0 { renamed.append("\n") }
            renamed.append(contentsOf: l)
        }
        guard let parser = try? Yams.Parser(yaml: String(renamed)) else { return nil }
        func find(_ node: Node, _ path: [PathKey]) -> (line: Int, column: Int, path: [PathKey])? {
            switch node {
            case .mapping(let m):
                if m.contains(where: { $0.key.string == marker + key }),
                    let pair = m.first(where: { $0.key.string == key }), let mark = pair.key.mark
                {
                    // On the same line (a flow mapping) the marker shifted it right.
                    let shift = mark.line == first.line && mark.column > first.column ? marker.unicodeScalars.count : 0
                    return (mark.line, mark.column - shift, path + [.key(key)])
                }
                for pair in m {
                    if let r = find(pair.value, path + [.key(pair.key.string ?? "?")]) { return r }
                }
            case .sequence(let s):
                for (i, n) in s.enumerated() {
                    if let r = find(n, path + [.index(i)]) { return r }
                }
            default: break
            }
            return nil
        }
        while let doc = try? parser.nextRoot() {
            if let r = find(doc, []) { return r }
        }
        return nil
    }
}

/// A semantic error found while building, with a mixed key/index path.
struct PositionedFieldError: Error {
    let path: [PathKey]
    let message: String
    var atKey = false
}

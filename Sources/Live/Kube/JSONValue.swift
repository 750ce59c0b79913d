import Foundation

/// A JSON document as a Sendable value.
///
/// API objects are kept in this form (not decoded into KubeModel types) because live objects carry
/// status, server-set metadata and fields from newer API versions; the snapshot cleans them and the
/// scenario loader decodes them strictly.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    public static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    public func data() -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(self)) ?? Data("null".utf8)
    }

    public subscript(key: String) -> JSONValue? {
        get { if case .object(let o) = self { return o[key] }; return nil }
        set {
            guard case .object(var o) = self else { return }
            o[key] = newValue
            self = .object(o)
        }
    }

    /// `value[path: "metadata", "name"]`.
    public subscript(path keys: String...) -> JSONValue? {
        var v: JSONValue? = self
        for k in keys { v = v?[k] }
        return v
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var int: Int? {
        switch self {
        case .int(let i): return Int(i)
        case .double(let d) where d == d.rounded(): return Int(d)
        default: return nil
        }
    }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var object: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
}

/// Shorthands for the metadata every API object has.
public extension JSONValue {
    var name: String { self[path: "metadata", "name"]?.string ?? "" }
    var namespace: String? { self[path: "metadata", "namespace"]?.string }
    var resourceVersion: String? { self[path: "metadata", "resourceVersion"]?.string }
    var labels: [String: String] {
        (self[path: "metadata", "labels"]?.object ?? [:]).compactMapValues(\.string)
    }
    /// `namespace/name` (or `name` for cluster-scoped objects).
    var key: String { namespace.map { "\($0)/\(name)" } ?? name }
    /// The controller owner reference (kind, name), as kubectl drain looks it up.
    var controller: (kind: String, name: String)? {
        for ref in self[path: "metadata", "ownerReferences"]?.array ?? [] where ref["controller"]?.bool == true {
            return (ref["kind"]?.string ?? "", ref["name"]?.string ?? "")
        }
        return nil
    }
}

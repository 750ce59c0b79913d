/// Strict decoding of API objects, like `kubectl --validate=strict`.
///
/// Each modelled type lists every field of the real API: those it uses (its `CodingKeys`)
/// and those it accepts without using them (`ignoredFields`). A key outside both is a
/// misspelling or a field of another version, and is reported with its coding path, which
/// the Scenario module turns into file:line:column.
public struct AnyCodingKey: CodingKey, Hashable {
    public var stringValue: String
    public var intValue: Int?
    public init(_ s: String) { stringValue = s }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}

/// The error for an unknown field: `codingPath` ends at the offending key.
public struct UnknownFieldError: Error, CustomStringConvertible {
    public let codingPath: [CodingKey]
    public let field: String
    public let typeName: String
    public let suggestion: String?
    public init(codingPath: [CodingKey], field: String, typeName: String, suggestion: String?) {
        self.codingPath = codingPath; self.field = field; self.typeName = typeName; self.suggestion = suggestion
    }
    public var description: String {
        var s = "unknown field \"\(field)\" in \(typeName)"
        if let suggestion { s += " (did you mean \"\(suggestion)\"?)" }
        return s
    }
}

public protocol StrictFields {
    /// How messages name the type (defaults to the Swift type name).
    static var typeName: String { get }
    /// Fields this type decodes and uses.
    static var usedFields: [String] { get }
    /// Fields of the real API accepted but not used by the simulation.
    static var ignoredFields: [String] { get }
}

extension StrictFields {
    public static var ignoredFields: [String] { [] }
    public static var typeName: String { String(describing: Self.self) }

    /// Throws `UnknownFieldError` for the first key (in document order where the decoder
    /// keeps it) that the real API does not have.
    public static func checkFields(_ decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let known = Set(usedFields).union(ignoredFields)
        for key in c.allKeys where !known.contains(key.stringValue) {
            throw UnknownFieldError(
                codingPath: decoder.codingPath + [key], field: key.stringValue,
                typeName: typeName,
                suggestion: closestField(to: key.stringValue, in: usedFields + ignoredFields))
        }
    }
}

/// The known field within edit distance 2, if one is that close.
public func closestField(to word: String, in candidates: [String]) -> String? {
    var best: (String, Int)? = nil
    for c in candidates {
        let d = editDistance(word.lowercased(), c.lowercased())
        if d <= 2, d < best?.1 ?? .max { best = (c, d) }
    }
    return best?.0
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = prev
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}

/// Decodes any YAML/JSON value and throws it away: for sub-objects of the real API that
/// the simulation does not model (volumes, env, securityContext, ...).
public struct IgnoredValue: Decodable, Hashable, Sendable {
    public init(from decoder: Decoder) throws {}
    public init() {}
}

extension KeyedDecodingContainer {
    /// Decodes an optional field; an explicit `null` counts as absent, as in Kubernetes.
    func opt<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        try decodeIfPresent(type, forKey: key)
    }
}

extension KeyedDecodingContainer where Key == AnyCodingKey {
    /// A required field by name.
    public func req<T: Decodable>(_ key: String, as type: T.Type = T.self) throws -> T {
        try decode(T.self, forKey: AnyCodingKey(key))
    }
    /// An optional field by name; `null` counts as absent.
    public func opt<T: Decodable>(_ key: String, as type: T.Type = T.self) throws -> T? {
        try decodeIfPresent(T.self, forKey: AnyCodingKey(key))
    }
}

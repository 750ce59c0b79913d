/// `intstr.IntOrString`: an absolute number or a percentage (`25%`).
public enum IntOrString: Hashable, Sendable, Decodable, CustomStringConvertible {
    case int(Int)
    case string(String)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) { self = .int(i); return }
        let s = try c.decode(String.self)
        if let i = Int(s) { self = .int(i) } else { self = .string(s) }
        if case .string(let v) = self, !(v.hasSuffix("%") && Int(v.dropLast()) != nil) {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "\"\(v)\" must be an integer or a percentage such as \"25%\"")
        }
    }

    /// `intstr.GetScaledValueFromIntOrPercent`: an integer as is; "p%" as
    /// ceil(p·total/100) when `roundUp`, else floor(p·total/100).
    public func scaledValue(total: Int, roundUp: Bool) -> Int {
        switch self {
        case .int(let v): return v
        case .string(let s):
            let p = Int(s.dropLast()) ?? 0
            let num = p * total
            if roundUp { return num >= 0 ? (num + 99) / 100 : num / 100 }
            return num >= 0 ? num / 100 : (num - 99) / 100
        }
    }

    public var description: String {
        switch self {
        case .int(let v): return String(v);
        case .string(let s): return s
        }
    }
}

import KubeModel
import SimKernel

/// A duration as Go and Kubernetes write it: `90s`, `5m`, `1h30m`, `500ms`, `1.5s`.
public struct DurationValue: Decodable, Hashable, Sendable {
    public let time: SimTime

    public init(_ time: SimTime) { self.time = time }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text: String
        if let s = try? c.decode(String.self) {
            text = s
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a duration such as 90s, 5m or 1h30m")
        }
        guard let t = DurationValue.parse(text, limit: nil) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "\"\(Escape.text(text))\" is not a duration (write it as 90s, 5m, 1h30m or 500ms)")
        }
        guard t <= Limits.maxDuration else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "\(Escape.text(text)) is longer than the limit of \(Limits.maxDuration) (365 days)")
        }
        time = t
    }

    /// Parses Go's `time.ParseDuration` grammar, non-negative; nil for text that does not parse or is too long.
    ///
    /// A sequence of decimal numbers with units h, m, s, ms, us/µs, ns. A bare 0 is allowed. Nil
    /// also for a duration longer than `limit` (by default `Limits.maxDuration`, 365 days; nil:
    /// only what fits in `SimTime` without overflow), so that no text can overflow simulated time.
    public static func parse(_ s: String, limit: SimTime? = Limits.maxDuration) -> SimTime? {
        if s == "0" { return .zero }
        var chars = Array(s)
        guard !chars.isEmpty else { return nil }
        var total = 0.0
        while !chars.isEmpty {
            var num = ""
            while let c = chars.first, c.isNumber || c == "." { num.append(c); chars.removeFirst() }
            guard let value = Double(num) else { return nil }
            var unit = ""
            while let c = chars.first, c.isLetter { unit.append(c); chars.removeFirst() }
            let scale: Double
            switch unit {
            case "h": scale = 3600
            case "m": scale = 60
            case "s": scale = 1
            case "ms": scale = 1e-3
            case "us", "µs": scale = 1e-6
            case "ns": scale = 1e-9
            default: return nil
            }
            // Saturates far above any limit instead of overflowing simulated time.
            total = Swift.min(total + value * scale, 9.2e9)
        }
        let t = SimTime.fromSeconds(total)
        if let limit, t > limit { return nil }
        return t
    }
}

/// A distribution of durations: a plain duration (constant), or one of
/// `{lognormal: {median, p95}}`, `{uniform: {min, max}}`, `{exponential: {mean}}`,
/// `{empirical: [durations]}`.
struct DistributionValue: Decodable {
    let distribution: Distribution

    enum Keys: String, CodingKey, CaseIterable { case constant, lognormal, uniform, exponential, empirical }
    struct Lognormal: Decodable, StrictFields {
        static let usedFields = ["median", "p95"]
        static let typeName = "lognormal"
        var median: DurationValue, p95: DurationValue
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            median = try c.req("median"); p95 = try c.req("p95")
        }
    }
    struct Uniform: Decodable, StrictFields {
        static let usedFields = ["min", "max"]
        static let typeName = "uniform"
        var min: DurationValue, max: DurationValue
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            min = try c.req("min"); max = try c.req("max")
        }
    }
    struct Exponential: Decodable, StrictFields {
        static let usedFields = ["mean"]
        static let typeName = "exponential"
        var mean: DurationValue
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            mean = try c.req("mean")
        }
    }
    struct Keyset: StrictFields {
        static let usedFields = Keys.allCases.map(\.rawValue)
        static let typeName = "distribution"
    }

    init(from decoder: Decoder) throws {
        // A scalar is a constant duration; a bad one is reported as such (not as "expected a Mapping").
        if let single = try? decoder.singleValueContainer(), (try? single.decode(String.self)) != nil {
            distribution = .constant(try single.decode(DurationValue.self).time.seconds); return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        try Keyset.checkFields(decoder)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "give a duration or exactly one of lognormal, uniform, exponential, empirical"))
        }
        switch key {
        case .constant: distribution = .constant(try c.decode(DurationValue.self, forKey: key).time.seconds)
        case .lognormal:
            let l = try c.decode(Lognormal.self, forKey: key)
            guard l.p95.time >= l.median.time, l.median.time > .zero else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "needs 0 < median ≤ p95")
            }
            distribution = .lognormal(median: l.median.time.seconds, p95: l.p95.time.seconds)
        case .uniform:
            let u = try c.decode(Uniform.self, forKey: key)
            guard u.max.time >= u.min.time else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "needs min ≤ max")
            }
            distribution = .uniform(min: u.min.time.seconds, max: u.max.time.seconds)
        case .exponential: distribution = .exponential(mean: try c.decode(Exponential.self, forKey: key).mean.time.seconds)
        case .empirical:
            let v = try c.decode([DurationValue].self, forKey: key)
            guard !v.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "needs at least one sample")
            }
            distribution = .empirical(v.map(\.time.seconds))
        }
    }
}

import Foundation

/// A distribution of non-negative durations (or any quantity), sampled from a stream.
public enum Distribution: Hashable, Sendable {
    case constant(Double)
    /// Uniform on [min, max].
    case uniform(min: Double, max: Double)
    case exponential(mean: Double)
    /// Lognormal given its median and 95th percentile (p95 ≥ median):
    /// mu = ln(median), sigma = (ln(p95) − mu) / z₀.₉₅.
    case lognormal(median: Double, p95: Double)
    /// Inverse CDF of observed samples, linearly interpolated between sorted values.
    case empirical([Double])

    /// z for the 95th percentile of the standard normal.
    static let z95 = 1.6448536269514722

    public func sample(_ rng: inout RandomStream) -> Double {
        switch self {
        case .constant(let v):
            return v
        case .uniform(let lo, let hi):
            return lo + (hi - lo) * rng.nextUnit()
        case .exponential(let mean):
            // 1 − u is in (0, 1], so the log is finite.
            return -mean * log(1 - rng.nextUnit())
        case .lognormal(let median, let p95):
            let mu = log(median)
            let sigma = p95 > median ? (log(p95) - mu) / Distribution.z95 : 0
            return exp(mu + sigma * Distribution.standardNormal(&rng))
        case .empirical(let values):
            guard !values.isEmpty else { return 0 }
            let sorted = values.sorted()
            if sorted.count == 1 { return sorted[0] }
            let x = rng.nextUnit() * Double(sorted.count - 1)
            let i = Int(x)
            let f = x - Double(i)
            return sorted[i] + (sorted[min(i + 1, sorted.count - 1)] - sorted[i]) * f
        }
    }

    /// The distribution's mean, for documentation and sanity checks.
    public var mean: Double {
        switch self {
        case .constant(let v): return v
        case .uniform(let lo, let hi): return (lo + hi) / 2
        case .exponential(let mean): return mean
        case .lognormal(let median, let p95):
            let sigma = p95 > median ? (log(p95) - log(median)) / Distribution.z95 : 0
            return median * exp(sigma * sigma / 2)
        case .empirical(let v): return v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count)
        }
    }

    /// The 95th percentile: what a capacity plan takes as a long run (most runs end sooner, one in twenty later).
    ///
    /// Empirical samples are read with the interpolation `sample` uses.
    public var p95: Double {
        switch self {
        case .constant(let v): return v
        case .uniform(let lo, let hi): return lo + (hi - lo) * 0.95
        // 1 − F(x) = e^(−x/mean) = 0.05.
        case .exponential(let mean): return mean * log(20)
        case .lognormal(let median, let p95): return max(median, p95)
        case .empirical(let values):
            guard !values.isEmpty else { return 0 }
            let sorted = values.sorted()
            let x = 0.95 * Double(sorted.count - 1)
            let i = Int(x)
            return sorted[i] + (sorted[min(i + 1, sorted.count - 1)] - sorted[i]) * (x - Double(i))
        }
    }

    /// Box–Muller; draws two uniforms per call so that a stream's position does not depend
    /// on cached state.
    static func standardNormal(_ rng: inout RandomStream) -> Double {
        let u1 = 1 - rng.nextUnit()
        let u2 = rng.nextUnit()
        return sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2)
    }
}

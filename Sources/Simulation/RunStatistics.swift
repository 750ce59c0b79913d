import Foundation

/// Summary statistics of one figure over many runs (Monte Carlo, `--runs N`).
public struct Statistic: Codable, Sendable, Equatable {
    public var p50: Double
    public var p95: Double
    public var min: Double
    public var max: Double
    public var mean: Double
    /// Runs in which the figure exists (a milestone can be absent in some runs).
    public var runs: Int

    /// Percentiles by linear interpolation between order statistics (type 7, as numpy).
    public init(_ values: [Double]) {
        let v = values.sorted()
        runs = v.count
        guard !v.isEmpty else { p50 = 0; p95 = 0; min = 0; max = 0; mean = 0; return }
        func q(_ p: Double) -> Double {
            let x = p * Double(v.count - 1)
            let i = Int(x)
            return i + 1 < v.count ? v[i] + (v[i + 1] - v[i]) * (x - Double(i)) : v[i]
        }
        p50 = q(0.5); p95 = q(0.95); min = v[0]; max = v[v.count - 1]
        mean = v.reduce(0, +) / Double(v.count)
    }
}

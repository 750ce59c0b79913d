import Foundation
import Testing

@testable import SimKernel

/// Statistical checks over 20,000 samples with generous bounds (each a few standard errors
/// wide, worked out in the comments), on fixed streams so the tests are deterministic.
@Suite struct DistributionTests {
    static let n = 20_000

    static func samples(_ d: Distribution, _ purpose: String) -> [Double] {
        var rng = RandomStream(seed: 2024, entity: "distribution-tests", purpose: purpose)
        return (0..<n).map { _ in d.sample(&rng) }
    }

    /// The q-quantile of sorted data (nearest rank).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1)]
    }

    static func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }

    @Test func constantAlwaysReturnsItsValue() {
        let xs = Self.samples(.constant(2.5), "constant")
        #expect(xs.allSatisfy { $0 == 2.5 })
        #expect(Distribution.constant(2.5).mean == 2.5)
    }

    @Test func uniformStaysInBoundsWithTheRightMean() {
        let d = Distribution.uniform(min: 2, max: 6)
        let xs = Self.samples(d, "uniform")
        #expect(xs.allSatisfy { $0 >= 2 && $0 <= 6 })
        // Mean 4, sd (6−2)/√12 ≈ 1.155; the sample mean's sd ≈ 1.155/√20000 ≈ 0.008.
        #expect(abs(Self.mean(xs) - 4) < 0.05)
        #expect(d.mean == 4)
        // Spread over the whole interval: each quarter holds about 25% (±1.5 points).
        for k in 0..<4 {
            let lo = 2 + Double(k), hi = lo + 1
            let share = Double(xs.filter { $0 >= lo && $0 < hi }.count) / Double(Self.n)
            #expect(abs(share - 0.25) < 0.015)
        }
        // A degenerate interval is a constant.
        #expect(Self.samples(.uniform(min: 3, max: 3), "uniform-degenerate").allSatisfy { $0 == 3 })
    }

    @Test func exponentialHasTheRightMeanAndMedian() {
        let d = Distribution.exponential(mean: 3)
        let xs = Self.samples(d, "exponential")
        #expect(xs.allSatisfy { $0 >= 0 && $0.isFinite })
        // sd = mean = 3, so the sample mean's sd ≈ 3/√20000 ≈ 0.021 (0.7%): allow 3%.
        #expect(abs(Self.mean(xs) / 3 - 1) < 0.03)
        // Median of Exp(mean μ) is μ·ln 2 ≈ 2.079.
        let median = Self.quantile(xs.sorted(), 0.5)
        #expect(abs(median / (3 * log(2.0)) - 1) < 0.04)
        #expect(d.mean == 3)
    }

    /// median 200 ms, p95 1 s: mu = ln 0.2, sigma = ln 5 / 1.6449 ≈ 0.978.
    @Test(arguments: [(0.2, 1.0), (1.0, 3.0), (30.0, 45.0)])
    func lognormalHitsItsMedianAndP95(median: Double, p95: Double) {
        let d = Distribution.lognormal(median: median, p95: p95)
        let xs = Self.samples(d, "lognormal-\(median)-\(p95)").sorted()
        #expect(xs.allSatisfy { $0 > 0 })
        // In log space the sample median's sd is 1.2533·σ/√n ≤ 1.2533·0.978/141 ≈ 0.9%,
        // the 95th percentile's √(0.05·0.95)/φ(1.645)·σ/√n ≈ 2.1·0.978/141 ≈ 1.5%.
        #expect(abs(Self.quantile(xs, 0.5) / median - 1) < 0.04)
        #expect(abs(Self.quantile(xs, 0.95) / p95 - 1) < 0.06)
        // The closed-form mean median·exp(σ²/2) agrees with the sample mean
        // (CV of a lognormal is √(e^{σ²} − 1) ≤ 1.27 → sd of the mean ≤ 0.9%).
        let sigma = log(p95 / median) / 1.6448536269514722
        #expect(abs(d.mean - median * exp(sigma * sigma / 2)) < 1e-9 * d.mean)
        #expect(abs(Self.mean(xs) / d.mean - 1) < 0.05)
    }

    @Test func lognormalWithoutSpreadIsItsMedian() {
        // p95 ≤ median: sigma 0, every sample is the median.
        #expect(Self.samples(.lognormal(median: 2, p95: 2), "ln-flat").allSatisfy { abs($0 - 2) < 1e-12 })
        #expect(Self.samples(.lognormal(median: 2, p95: 1), "ln-inverted").allSatisfy { abs($0 - 2) < 1e-12 })
        #expect(Distribution.lognormal(median: 2, p95: 2).mean == 2)
    }

    @Test func standardNormalHasMeanZeroAndUnitVariance() {
        var rng = RandomStream(seed: 1, entity: "normal", purpose: "box-muller")
        let xs = (0..<Self.n).map { _ in Distribution.standardNormal(&rng) }
        let m = Self.mean(xs)
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
        #expect(abs(m) < 0.03)  // sd of the mean 1/√20000 ≈ 0.007
        #expect(abs(v - 1) < 0.05)  // sd of the variance √(2/n) ≈ 0.01
        // P(Z ≤ 1.645) = 0.95.
        let below = Double(xs.filter { $0 <= 1.6448536269514722 }.count) / Double(xs.count)
        #expect(abs(below - 0.95) < 0.01)
    }

    @Test func empiricalStaysWithinTheObservedRange() {
        let observed = [4.0, 1.0, 9.0, 2.5, 7.0, 3.0]
        let d = Distribution.empirical(observed)
        let xs = Self.samples(d, "empirical")
        #expect(xs.allSatisfy { $0 >= 1 && $0 <= 9 })
        // Interpolated inverse CDF over sorted [1, 2.5, 3, 4, 7, 9]: each of the five gaps
        // gets 1/5 of the mass, uniform inside, so the mean is the mean of the midpoints:
        // (1.75 + 2.75 + 3.5 + 5.5 + 8) / 5 = 4.3.
        #expect(abs(Self.mean(xs) - 4.3) < 0.1)
        // The median is the value at rank 2.5 of 5: halfway between 3 and 4.
        #expect(abs(Self.quantile(xs.sorted(), 0.5) - 3.5) < 0.1)
        #expect(abs(d.mean - 26.5 / 6) < 1e-12)  // mean of the observations themselves
    }

    @Test func empiricalDoesNotDependOnTheOrderOfObservations() {
        let a = Self.samples(.empirical([5, 1, 3]), "empirical-order")
        let b = Self.samples(.empirical([1, 3, 5]), "empirical-order")
        #expect(a == b)
    }

    @Test func empiricalEdgeCases() {
        #expect(Self.samples(.empirical([]), "empty").allSatisfy { $0 == 0 })
        #expect(Self.samples(.empirical([42]), "single").allSatisfy { $0 == 42 })
        #expect(Distribution.empirical([]).mean == 0)
    }

    @Test func sameStreamSameSamples() {
        let d = Distribution.lognormal(median: 1, p95: 4)
        var a = RandomStream(seed: 1, entity: "x", purpose: "y")
        var b = RandomStream(seed: 1, entity: "x", purpose: "y")
        for _ in 0..<100 { #expect(d.sample(&a) == d.sample(&b)) }
    }

    /// Every draw consumes a fixed number of stream values (lognormal: two), so a stream's
    /// position never depends on the values drawn before (no cached second normal).
    @Test func drawsConsumeAFixedNumberOfValues() {
        var a = RandomStream(seed: 1, entity: "x", purpose: "position")
        var b = a
        _ = Distribution.lognormal(median: 1, p95: 4).sample(&a)
        _ = b.next(); _ = b.next()
        #expect(a.next() == b.next())
        _ = Distribution.exponential(mean: 1).sample(&a)
        _ = b.next()
        #expect(a.next() == b.next())
        _ = Distribution.constant(1).sample(&a)  // draws nothing
        #expect(a.next() == b.next())
    }
}

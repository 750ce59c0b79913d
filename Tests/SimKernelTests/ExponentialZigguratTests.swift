import Foundation
import Testing

@testable import SimKernel

/// The ziggurat sampler against the Exp(1) distribution itself: a million draws on a fixed
/// stream, checked for the mean, the variance, the Kolmogorov–Smirnov distance to the CDF,
/// a chi-square over equiprobable bins (which sees a wrong wedge or layer that the KS
/// distance is too coarse for) and the share of the tail beyond r. Each bound is a
/// significance level of 0.001 or wider; the checks are shown to reject a 2% mis-scaled sample.
@Suite struct ExponentialZigguratTests {
    static let n = 1_000_000

    static let draws: [Double] = {
        var rng = RandomStream(seed: 7, entity: "ziggurat-tests", purpose: "exp")
        let z = ExponentialZiggurat.standard
        return (0..<n).map { _ in z.sample(&rng) }
    }()

    /// sup |F_n(x) − (1 − e^−x)| over the sorted sample.
    static func ksDistance(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        let n = Double(s.count)
        var d = 0.0
        for (i, x) in s.enumerated() {
            let f = 1 - exp(-x)
            d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return d
    }

    /// Pearson's statistic over `bins` bins of equal Exp(1) probability.
    static func chiSquare(_ xs: [Double], bins: Int) -> Double {
        var counts = [Int](repeating: 0, count: bins)
        for x in xs {
            // The bin of x: ⌊F(x)·bins⌋.
            counts[min(bins - 1, Int((1 - exp(-x)) * Double(bins)))] += 1
        }
        let expected = Double(xs.count) / Double(bins)
        return counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    }

    /// KS critical value at α = 0.001: 1.949/√n ≈ 0.00195 for a million draws.
    static let ksCritical = 1.949 / sqrt(Double(n))
    /// Chi-square with 255 degrees of freedom at α = 0.001: ≈ 330.5.
    static let chiCritical = 330.5

    @Test func meanAndVarianceAreOne() {
        let xs = Self.draws
        #expect(xs.allSatisfy { $0 >= 0 && $0.isFinite })
        let m = xs.reduce(0, +) / Double(xs.count)
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
        // sd of the mean 1/√n = 0.001; of the variance √((μ₄ − σ⁴)/n) = √(8/n) ≈ 0.0028.
        #expect(abs(m - 1) < 0.004)
        #expect(abs(v - 1) < 0.012)
    }

    @Test func followsTheExponentialCDF() {
        let d = Self.ksDistance(Self.draws)
        #expect(d < Self.ksCritical, "KS distance \(d)")
        let chi = Self.chiSquare(Self.draws, bins: 256)
        #expect(chi < Self.chiCritical, "chi-square \(chi)")
    }

    @Test func theTailBeyondRIsDrawn() {
        // P(X > r) = e^−r ≈ 4.54e-4: about 454 of a million (sd ≈ 21).
        let tail = Self.draws.filter { $0 > ExponentialZiggurat.r }.count
        #expect(abs(Double(tail) - 1e6 * exp(-ExponentialZiggurat.r)) < 100)
        // And the far tail: P(X > 12) ≈ 6.1e-6, about 6.
        #expect(Self.draws.contains { $0 > 12 })
    }

    /// The checks above are not vacuous: a sample off by 2% in scale fails both.
    @Test func theChecksRejectAWrongDistribution() {
        let wrong = Self.draws.map { $0 * 1.02 }
        #expect(Self.ksDistance(wrong) > Self.ksCritical)
        #expect(Self.chiSquare(wrong, bins: 256) > Self.chiCritical)
    }

    @Test func sameStreamSameSamples() {
        var a = RandomStream(seed: 1, entity: "x", purpose: "zig")
        var b = a
        for _ in 0..<1000 { #expect(ExponentialZiggurat.standard.sample(&a) == ExponentialZiggurat.standard.sample(&b)) }
    }
}

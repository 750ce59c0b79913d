import Foundation

/// Ticks at round numbers: steps of 1, 2 or 5 times a power of ten.
///
/// People read "0, 10, 20, 30" at a glance and have to think about "0, 12, 24, 36"; the 1-2-5
/// series is the usual compromise between round labels and a steady tick count.
public enum NiceTicks {
    /// The smallest 1-2-5 step that divides `span` into at most `maxIntervals` intervals.
    ///
    /// With `integer`, the step is at least 1 (for counts such as replicas or runs).
    public static func step(span: Double, maxIntervals: Int, integer: Bool = false) -> Double {
        guard span.isFinite, span > 0, maxIntervals > 0 else { return 1 }
        let raw = span / Double(maxIntervals)
        let exponent = floor(log10(raw))
        // Scale by an exact power of ten (multiply for 10^e, divide by 10^-e), so that a step
        // such as 0.1 is the double nearest to 0.1, not 1 × 0.1000000000000000055 × ...
        func scaled(_ x: Double) -> Double { exponent >= 0 ? x * pow(10, exponent) : x / pow(10, -exponent) }
        let normalized = exponent >= 0 ? raw / pow(10, exponent) : raw * pow(10, -exponent)  // about [1, 10)
        // A small tolerance so that e.g. 2.0000000001 (from floating-point division) counts as 2.
        let tolerance = 1e-9
        let nice: Double
        if normalized <= 1 + tolerance {
            nice = 1
        } else if normalized <= 2 + tolerance {
            nice = 2
        } else if normalized <= 5 + tolerance {
            nice = 5
        } else {
            nice = 10
        }
        let step = scaled(nice)
        return integer ? max(1, step.rounded(.up)) : step
    }

    /// Tick values: the multiples of `step` within `lower...upper` (both included when they are multiples).
    ///
    /// Each value is computed as `i × step` from an integer `i`, so there is no drift from repeated
    /// addition.
    public static func ticks(lower: Double, upper: Double, step: Double) -> [Double] {
        guard lower.isFinite, upper.isFinite, step > 0, upper >= lower else { return [] }
        let first = (lower / step - 1e-9).rounded(.up)
        let last = (upper / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 10_000 else { return [] }
        return stride(from: first, through: last, by: 1).map { clean($0 * step, step: step) }
    }

    /// `lower...upper` widened outwards to multiples of a 1-2-5 step, with that step: an axis
    /// that starts and ends on a labelled tick.
    public static func niceDomain(
        lower: Double, upper: Double, maxIntervals: Int,
        integer: Bool = false
    ) -> (lower: Double, upper: Double, step: Double) {
        var lo = lower, hi = upper
        if !(hi > lo) { hi = lo + (integer ? 1 : max(1, abs(lo))) }
        let s = step(span: hi - lo, maxIntervals: maxIntervals, integer: integer)
        lo = clean((lo / s + 1e-9).rounded(.down) * s, step: s)
        hi = clean((hi / s - 1e-9).rounded(.up) * s, step: s)
        return (lo, hi, s)
    }

    /// Digits after the decimal point needed to print multiples of `step` exactly.
    public static func decimals(for step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return max(0, Int(-floor(log10(step) + 1e-9)))
    }

    /// A tick label: the value with as many decimals as the step needs (such as "0.5", "10", "1.25").
    public static func label(_ value: Double, step: Double) -> String {
        let d = decimals(for: step)
        let s = String(format: "%.\(d)f", value)
        // "-0" and "-0.0" come from tiny negative noise; a tick at zero is just "0".
        if s.hasPrefix("-") && Double(s) == 0 { return String(s.dropFirst()) }
        return s
    }

    /// Rounds away floating-point noise (0.30000000000000004 → 0.3) at the step's precision.
    static func clean(_ value: Double, step: Double) -> Double {
        let factor = pow(10, Double(decimals(for: step) + 2))
        let v = (value * factor).rounded() / factor
        return v == 0 ? 0 : v
    }
}

/// Maps a data interval linearly onto a pixel interval (which may run backwards, as a y axis does).
public struct LinearScale: Sendable, Equatable {
    public var domain: ClosedRange<Double>
    public var range: (Double, Double)

    public init(domain: ClosedRange<Double>, range: (Double, Double)) {
        self.domain = domain; self.range = range
    }

    public static func == (a: LinearScale, b: LinearScale) -> Bool {
        a.domain == b.domain && a.range.0 == b.range.0 && a.range.1 == b.range.1
    }

    public func callAsFunction(_ x: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0 else { return range.0 }
        return range.0 + (x - domain.lowerBound) / span * (range.1 - range.0)
    }
}

/// The unit a time axis is labelled in: seconds for short spans, minutes up to a few hours, hours beyond.
///
/// Values stay in seconds; only ticks and labels use the unit.
public enum TimeUnit: String, Sendable {
    case seconds = "s", minutes = "min", hours = "h"

    public var seconds: Double {
        switch self {
        case .seconds: return 1
        case .minutes: return 60
        case .hours: return 3600
        }
    }

    /// The unit for an axis spanning `span` seconds.
    public static func forSpan(_ span: Double) -> TimeUnit {
        if span <= 300 { return .seconds }
        if span <= 3 * 3600 { return .minutes }
        return .hours
    }
}

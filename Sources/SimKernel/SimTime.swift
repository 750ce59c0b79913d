/// A point in simulated time, or a span of it, in whole microseconds.
///
/// Integer time keeps long runs free of floating-point drift: adding a 10 s lease
/// renewal a million times lands exactly where it should. Microseconds are fine enough
/// for raft heartbeats (500 ms) and coarse enough that a 64-bit count covers 292,000 years.
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since the start of the run (or the length of a span).
    public var microseconds: Int64

    @inlinable public init(microseconds: Int64) { self.microseconds = microseconds }

    public static let zero = SimTime(microseconds: 0)
    /// Later than any event a run schedules.
    public static let distantFuture = SimTime(microseconds: Int64.max / 4)

    @inlinable public static func seconds(_ s: Int64) -> SimTime { SimTime(microseconds: s * 1_000_000) }
    @inlinable public static func milliseconds(_ ms: Int64) -> SimTime { SimTime(microseconds: ms * 1_000) }
    /// Rounds to the nearest microsecond.
    @inlinable public static func fromSeconds(_ s: Double) -> SimTime {
        SimTime(microseconds: Int64((s * 1_000_000).rounded()))
    }

    /// The time in seconds, for reports and JSON.
    @inlinable public var seconds: Double { Double(microseconds) / 1_000_000 }

    @inlinable public static func < (a: SimTime, b: SimTime) -> Bool { a.microseconds < b.microseconds }
    @inlinable public static func + (a: SimTime, b: SimTime) -> SimTime { SimTime(microseconds: a.microseconds + b.microseconds) }
    @inlinable public static func - (a: SimTime, b: SimTime) -> SimTime { SimTime(microseconds: a.microseconds - b.microseconds) }
    @inlinable public static func * (a: SimTime, k: Int64) -> SimTime { SimTime(microseconds: a.microseconds * k) }
    @inlinable public static func += (a: inout SimTime, b: SimTime) { a.microseconds += b.microseconds }

    public var description: String { SimTime.format(self) }

    /// A time span in the `1h2m3.5s` style, as Go and Kubernetes print durations.
    ///
    /// It follows Go's `Duration.String()` (go/src/time/time.go) at microsecond resolution:
    /// `1h0m0s`, `1m30s`, `1.5s`, `1.5ms`, `250µs`. Fractions are not printed through `Double`,
    /// which would give `1e-06s` and `1m1e-05s`; sub-second spans are in ms/µs, and `1h`/`1m` have
    /// Go's `0m0s`.
    public static func format(_ t: SimTime) -> String {
        if t.microseconds == 0 { return "0s" }
        let u = t.microseconds.magnitude
        var out: String
        if u < 1_000 {
            out = "\(u)µs"
        } else if u < 1_000_000 {
            out = "\(u / 1_000)" + fraction(u % 1_000, digits: 3) + "ms"
        } else {
            let s = u / 1_000_000
            out = "\(s % 60)" + fraction(u % 1_000_000, digits: 6) + "s"
            let m = s / 60
            if m > 0 {
                out = "\(m % 60)m" + out
                if m >= 60 { out = "\(m / 60)h" + out }
            }
        }
        return t.microseconds < 0 ? "-" + out : out
    }

    /// `.` and the digits of `v / 10^digits` without trailing zeros; empty for 0.
    static func fraction(_ v: UInt64, digits: Int) -> String {
        if v == 0 { return "" }
        var d = String(v)
        d = String(repeating: "0", count: digits - d.count) + d
        while d.hasSuffix("0") { d.removeLast() }
        return "." + d
    }
}

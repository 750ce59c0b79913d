import Testing

@testable import SimKernel

/// SimTime: integer microseconds, printed like Go's `time.Duration.String()`
/// (go/src/time/time.go, `Duration.format`).
@Suite struct SimTimeTests {
    @Test func constructorsAreExactMicroseconds() {
        #expect(SimTime.seconds(Int64(2)).microseconds == 2_000_000)
        #expect(SimTime.milliseconds(1_500).microseconds == 1_500_000)
        #expect(SimTime(microseconds: 7).microseconds == 7)
        #expect(SimTime.zero.microseconds == 0)
        // Double seconds round to the nearest microsecond.
        #expect(SimTime.fromSeconds(0.25).microseconds == 250_000)
        #expect(SimTime.fromSeconds(1.0000004).microseconds == 1_000_000)  // 1_000_000.4 → 1_000_000
        #expect(SimTime.fromSeconds(1.0000006).microseconds == 1_000_001)  // 1_000_000.6 → 1_000_001
        #expect(SimTime.fromSeconds(-0.5).microseconds == -500_000)
        #expect(SimTime.fromSeconds(2.5) == .milliseconds(2_500))
        #expect(SimTime(microseconds: 2_500_000).seconds == 2.5)
    }

    @Test func arithmeticAndOrdering() {
        let a = SimTime.seconds(Int64(10)), b = SimTime.milliseconds(250)
        #expect((a + b).microseconds == 10_250_000)
        #expect((a - b).microseconds == 9_750_000)
        #expect((b * 4) == SimTime.seconds(Int64(1)))
        var c = a
        c += b
        #expect(c == a + b)
        #expect(b < a)
        #expect(max(a, b) == a)
        #expect(SimTime.zero < SimTime(microseconds: 1))
        // distantFuture is later than anything a run schedules (a century is 3.15e15 µs).
        #expect(SimTime.seconds(Int64(100 * 365 * 86_400)) < SimTime.distantFuture)
    }

    /// No drift: adding a 10 s lease renewal a million times lands on exactly 10^7 s.
    @Test func noFloatingPointDrift() {
        var t = SimTime.zero
        let step = SimTime.seconds(Int64(10))
        for _ in 0..<1_000_000 { t += step }
        #expect(t.microseconds == 10_000_000_000_000)
    }

    /// Expected strings are what Go prints for the same `time.Duration`, e.g.
    /// `fmt.Println(time.Hour)` → `1h0m0s`, `1500*time.Microsecond` → `1.5ms`.
    @Test(arguments: [
        (Int64(0), "0s"),
        (1, "1µs"),  // < 1 ms: microseconds
        (999, "999µs"),
        (1_000, "1ms"),  // < 1 s: milliseconds with a fraction
        (1_500, "1.5ms"),
        (1_001, "1.001ms"),
        (500_000, "500ms"),
        (999_999, "999.999ms"),
        (1_000_000, "1s"),  // ≥ 1 s: h, m, s with fractional seconds
        (1_500_000, "1.5s"),
        (3_000_001, "3.000001s"),
        (59_000_000, "59s"),
        (60_000_000, "1m0s"),  // Go always prints the seconds once minutes appear
        (90_000_000, "1m30s"),
        (60_000_010, "1m0.00001s"),
        (3_600_000_000, "1h0m0s"),  // ... and the minutes once hours appear
        (3_601_000_000, "1h0m1s"),
        (3_723_500_000, "1h2m3.5s"),  // 3600 + 120 + 3.5 s
        (360_000_000_000, "100h0m0s"),  // Go stops at hours (no days)
        (-1_500_000, "-1.5s"),
        (-250, "-250µs"),
    ])
    func formatsLikeGoDurations(microseconds: Int64, expected: String) {
        let t = SimTime(microseconds: microseconds)
        #expect(SimTime.format(t) == expected)
        #expect(t.description == expected)
    }
}

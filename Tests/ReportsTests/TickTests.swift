import Foundation
import Testing

@testable import Reports

/// The tick algorithm: round numbers (1-2-5 steps), no floating-point drift, labels with the
/// decimals the step needs, and time axes in a unit that suits their span.
@Suite struct TickTests {
    @Test(arguments: [
        (10.0, 5, 2.0), (10.0, 10, 1.0), (100.0, 5, 20.0), (60.0, 6, 10.0), (60.0, 8, 10.0), (3600.0, 8, 500.0),
        (1.0, 4, 0.5), (0.3, 3, 0.1), (7.0, 4, 2.0), (15.0, 6, 5.0), (20.0, 6, 5.0), (0.07, 5, 0.02),
        (1245.0, 8, 200.0), (25.0, 5, 5.0), (30.0, 6, 5.0), (1e6, 4, 500_000.0),
    ])
    func stepIsOneTwoFiveAndFits(span: Double, maxIntervals: Int, expected: Double) {
        let step = NiceTicks.step(span: span, maxIntervals: maxIntervals)
        #expect(step == expected, "span \(span) in \(maxIntervals) intervals")
        #expect(span / step <= Double(maxIntervals) + 1e-9)
    }

    @Test func everyStepIsOneTwoOrFiveTimesAPowerOfTen() {
        for span in stride(from: 0.013, through: 9000, by: 7.7) {
            for n in 1...12 {
                let s = NiceTicks.step(span: span, maxIntervals: n)
                let mantissa = s / pow10(floorLog10(s))
                #expect([1.0, 2.0, 5.0].contains { abs($0 - mantissa) < 1e-9 }, "step \(s) for span \(span), \(n)")
                #expect(span / s <= Double(n) + 1e-9)
                // The next smaller 1-2-5 step would need too many intervals: the step is the smallest that fits.
                let smaller = mantissa == 1 ? s / 2 : (mantissa == 2 ? s / 2 : s * 2 / 5)
                #expect(span / smaller > Double(n) - 1e-9)
            }
        }
    }

    @Test func degenerateSpansGiveAUsableStep() {
        #expect(NiceTicks.step(span: 0, maxIntervals: 5) == 1)
        #expect(NiceTicks.step(span: -3, maxIntervals: 5) == 1)
        #expect(NiceTicks.step(span: .nan, maxIntervals: 5) == 1)
        #expect(NiceTicks.step(span: 10, maxIntervals: 0) == 1)
    }

    @Test func integerStepsAreWhole() {
        #expect(NiceTicks.step(span: 1, maxIntervals: 4, integer: true) == 1)
        #expect(NiceTicks.step(span: 3, maxIntervals: 4, integer: true) == 1)
        #expect(NiceTicks.step(span: 8, maxIntervals: 4, integer: true) == 2)
    }

    @Test func ticksHaveNoDrift() {
        let ticks = NiceTicks.ticks(lower: 0, upper: 1, step: 0.1)
        #expect(ticks.count == 11)
        #expect(ticks[3] == 0.3)  // 3 × 0.1 is 0.30000000000000004 before cleaning
        #expect(ticks.last == 1)
        #expect(
            ticks.map { NiceTicks.label($0, step: 0.1) }
                == ["0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0"])
    }

    @Test func ticksAreTheMultiplesInsideTheInterval() {
        #expect(NiceTicks.ticks(lower: 570, upper: 1930, step: 200) == [600, 800, 1000, 1200, 1400, 1600, 1800])
        #expect(NiceTicks.ticks(lower: -25, upper: 25, step: 10) == [-20, -10, 0, 10, 20])
        #expect(NiceTicks.ticks(lower: 3, upper: 3.5, step: 1) == [3])
        #expect(NiceTicks.ticks(lower: 3.2, upper: 3.5, step: 1).isEmpty)
        #expect(NiceTicks.ticks(lower: 5, upper: 1, step: 1).isEmpty)
        #expect(NiceTicks.ticks(lower: 0, upper: 10, step: 0).isEmpty)
    }

    @Test func niceDomainWidensToTicks() {
        let d = NiceTicks.niceDomain(lower: 0, upper: 7, maxIntervals: 4, integer: true)
        #expect(d.lower == 0 && d.upper == 8 && d.step == 2)
        let p = NiceTicks.niceDomain(lower: 89.86, upper: 100, maxIntervals: 6)
        #expect(p.step == 2 && p.lower == 88 && p.upper == 100)
        let flat = NiceTicks.niceDomain(lower: 5, upper: 5, maxIntervals: 4, integer: true)
        #expect(flat.lower <= 5 && flat.upper > 5)
        let small = NiceTicks.niceDomain(lower: 96.53, upper: 96.67, maxIntervals: 6)
        #expect(small.lower == 96.5 && small.upper == 96.7 && abs(small.step - 0.05) < 1e-12)
    }

    @Test func labelsUseTheStepsDecimals() {
        #expect(NiceTicks.decimals(for: 10) == 0)
        #expect(NiceTicks.decimals(for: 1) == 0)
        #expect(NiceTicks.decimals(for: 0.5) == 1)
        #expect(NiceTicks.decimals(for: 0.05) == 2)
        #expect(NiceTicks.label(1200, step: 200) == "1200")
        #expect(NiceTicks.label(96.55, step: 0.05) == "96.55")
        #expect(NiceTicks.label(-1e-12, step: 1) == "0")
    }

    @Test func timeAxesPickTheirUnit() {
        #expect(TimeUnit.forSpan(90) == .seconds)
        #expect(TimeUnit.forSpan(300) == .seconds)
        #expect(TimeUnit.forSpan(3600) == .minutes)
        #expect(TimeUnit.forSpan(4 * 3600) == .hours)
        let hour = Axis.time("time since the start", lower: 0, upper: 3600, maxIntervals: 6)
        #expect(hour.title == "time since the start (min)")
        #expect(hour.ticks.map(hour.label) == ["0", "10", "20", "30", "40", "50", "60"])
        let fault = Axis.time("time after the fault", lower: -5, upper: 40, maxIntervals: 6)
        #expect(fault.title == "time after the fault (s)")
        #expect(fault.ticks.map(fault.label) == ["0", "10", "20", "30", "40"])
    }

    @Test func linearScaleMapsAndInverts() {
        let s = LinearScale(domain: 0...100, range: (50, 550))
        #expect(s(0) == 50 && s(100) == 550 && s(50) == 300)
        let y = LinearScale(domain: 0...8, range: (200, 40))
        #expect(y(0) == 200 && y(8) == 40 && y(4) == 120)
        #expect(LinearScale(domain: 3...3, range: (10, 20))(3) == 10)
    }

    @Test func svgNumbersAreShortAndStable() {
        #expect(SVGNumber.format(12) == "12")
        #expect(SVGNumber.format(12.5) == "12.5")
        #expect(SVGNumber.format(1 / 3) == "0.33")
        #expect(SVGNumber.format(-0.001) == "0")
        #expect(SVGNumber.format(.nan) == "0")
        #expect(SVGNumber.format(2.999) == "3")
    }

    func floorLog10(_ x: Double) -> Double { (log10(x) + 1e-12).rounded(.down) }
    func pow10(_ e: Double) -> Double { pow(10, e) }
}

import Foundation
import KubeModel
import SimKernel
import Testing
@testable import Scenario

/// Properties of the parsers every input goes through, over thousands of generated values:
/// durations round-trip through Go's notation and never exceed the limit, no text traps a
/// parser, and quantities scale consistently.
@Suite struct PropertyTests {
    @Test func durationsRoundTripThroughGoNotation() {
        var m = Mutator(seed: 11)
        for _ in 0..<3000 {
            let t = SimTime(microseconds: Int64(m.next() % UInt64(Limits.maxDuration.microseconds + 1)))
            #expect(DurationValue.parse(SimTime.format(t)) == t, "\(SimTime.format(t))")
        }
    }

    @Test func anyTextParsesToNilOrADurationWithinTheLimit() {
        var m = Mutator(seed: 12)
        let alphabet = Array("0123456789.hmsuµn-+e ,")
        for _ in 0..<5000 {
            let text = String((0..<(1 + m.pick(24))).map { _ in alphabet[m.pick(alphabet.count)] })
            if let t = DurationValue.parse(text) {
                #expect(t >= .zero && t <= Limits.maxDuration, "\(text) → \(t)")
            }
            _ = DurationValue.parse(text, limit: nil)  // saturates, never traps
        }
    }

    @Test func anyTextParsesToAQuantityOrAnError() {
        var m = Mutator(seed: 13)
        let alphabet = Array("0123456789.-+eEkKMGTPimun ")
        for _ in 0..<5000 {
            let text = String((0..<(1 + m.pick(40))).map { _ in alphabet[m.pick(alphabet.count)] })
            guard let q = try? Quantity(parsing: text) else { continue }
            // Scaling never traps and is monotonic in the scale: value ≤ milliValue (non-negative).
            let value = q.value, milli = q.milliValue
            if value >= 0 && value < Int64.max / 1000 { #expect(milli <= value * 1000, "\(text)") }
        }
    }

    /// Whole units and their binary suffixes agree: n·2^30 bytes is "nGi".
    @Test func binarySuffixesScale() throws {
        var m = Mutator(seed: 14)
        for _ in 0..<1000 {
            let n = Int64(m.pick(1 << 20))
            #expect(try Quantity(parsing: "\(n)Gi").value == n << 30)
            #expect(try Quantity(parsing: "\(n)Mi").value == n << 20)
            #expect(try Quantity(parsing: "\(n)m").milliValue == n)
            #expect(CoreValidation.bytes(n << 30).value == n << 30)
        }
    }
}

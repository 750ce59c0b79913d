import Foundation
import KubeModel
import PropertyBased
import SimKernel
import Testing

@testable import Scenario

/// Properties of the parsers every input goes through, over generated values (shrunk to the
/// smallest failing input when one fails): durations round-trip through Go's notation and
/// never exceed the limit, no text traps a parser, and quantities scale consistently.
@Suite struct PropertyTests {
    /// Characters drawn from `alphabet` (never empty, so the element is always there).
    static func characters(_ alphabet: String) -> Generator<Character, Shrink.None<Character?>> {
        Gen<Character?>.element(of: Array(alphabet)).map { $0! }
    }

    @Test func durationsRoundTripThroughGoNotation() async {
        await propertyCheck(count: 3000, input: Gen.int64(in: 0...Limits.maxDuration.microseconds)) { us in
            let t = SimTime(microseconds: us)
            #expect(DurationValue.parse(SimTime.format(t)) == t, "\(SimTime.format(t))")
        }
    }

    @Test func anyTextParsesToNilOrADurationWithinTheLimit() async {
        let text = Self.characters("0123456789.hmsuµn-+e ,").string(of: 1...24)
        await propertyCheck(count: 5000, input: text) { text in
            if let t = DurationValue.parse(text) {
                #expect(t >= .zero && t <= Limits.maxDuration, "\(text) → \(t)")
            }
            _ = DurationValue.parse(text, limit: nil)  // saturates, never traps
        }
    }

    @Test func anyTextParsesToAQuantityOrAnError() async {
        let text = Self.characters("0123456789.-+eEkKMGTPimun ").string(of: 1...40)
        await propertyCheck(count: 5000, input: text) { text in
            guard let q = try? Quantity(parsing: text) else { return }
            // Scaling never traps and is monotonic in the scale: value ≤ milliValue (non-negative).
            let value = q.value, milli = q.milliValue
            if value >= 0 && value < Int64.max / 1000 { #expect(milli <= value * 1000, "\(text)") }
        }
    }

    /// Whole units and their binary suffixes agree: n·2^30 bytes is "nGi".
    @Test func binarySuffixesScale() async {
        await propertyCheck(count: 1000, input: Gen.int64(in: 0...(1 << 20))) { n in
            #expect((try? Quantity(parsing: "\(n)Gi"))?.value == n << 30)
            #expect((try? Quantity(parsing: "\(n)Mi"))?.value == n << 20)
            #expect((try? Quantity(parsing: "\(n)m"))?.milliValue == n)
            #expect(CoreValidation.bytes(n << 30).value == n << 30)
        }
    }
}

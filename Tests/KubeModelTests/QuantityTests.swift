import Foundation
import Testing

@testable import KubeModel

/// `resource.Quantity` (k8s.io/apimachinery/pkg/api/resource/quantity.go).
/// `value` is `Value()` and `milliValue` is `MilliValue()`: both round up.
@Suite struct QuantityTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let text: String, value: Int64, milli: Int64, why: String
        var testDescription: String { "\"\(text)\"" }
    }

    static let valid: [Case] = [
        // The examples of the Kubernetes docs ("Meaning of memory"): all about 129 MB.
        .init(text: "128974848", value: 128_974_848, milli: 128_974_848_000, why: "plain integer"),
        .init(text: "129e6", value: 129_000_000, milli: 129_000_000_000, why: "decimal exponent"),
        .init(text: "129M", value: 129_000_000, milli: 129_000_000_000, why: "M = 10^6"),
        .init(text: "123Mi", value: 128_974_848, milli: 128_974_848_000, why: "123·2^20 = 128974848"),
        // CPU forms.
        .init(text: "100m", value: 1, milli: 100, why: "0.1 → Value() rounds up to 1"),
        .init(text: "0.5", value: 1, milli: 500, why: "half a core"),
        .init(text: ".5", value: 1, milli: 500, why: "<number> ::= .<digits>"),
        .init(text: "0.1", value: 1, milli: 100, why: "exact: not 99.99m"),
        .init(text: "1000m", value: 1, milli: 1_000, why: "exactly one"),
        .init(text: "1001m", value: 2, milli: 1_001, why: "1.001 → 2"),
        .init(text: "2", value: 2, milli: 2_000, why: "integer"),
        .init(text: "+1", value: 1, milli: 1_000, why: "explicit sign"),
        .init(text: "1.", value: 1, milli: 1_000, why: "<digits>. (upstream test table)"),
        .init(text: "0", value: 0, milli: 0, why: "zero"),
        .init(text: "0m", value: 0, milli: 0, why: "zero with suffix"),
        .init(text: "0Gi", value: 0, milli: 0, why: "zero with binary suffix"),
        // Exponents.
        .init(text: "1e3", value: 1_000, milli: 1_000_000, why: "e3"),
        .init(text: "1E3", value: 1_000, milli: 1_000_000, why: "E3 is an exponent, not exa"),
        .init(text: "1.2e3", value: 1_200, milli: 1_200_000, why: "upstream: decQuantity(12, 2)"),
        .init(text: "1.3E+6", value: 1_300_000, milli: 1_300_000_000, why: "signed exponent"),
        .init(text: "1E-3", value: 1, milli: 1, why: "10^-3"),
        .init(text: "0.5e-2", value: 1, milli: 5, why: "0.005"),
        // Decimal SI suffixes.
        .init(text: "500n", value: 1, milli: 1, why: "5·10^-7 → both round up"),
        .init(text: "1u", value: 1, milli: 1, why: "10^-6 → 0.001 m → 1"),
        .init(text: "3.001n", value: 1, milli: 1, why: "upstream rounds to 4n; still 1 m"),
        .init(text: "1500u", value: 1, milli: 2, why: "1.5 m → 2"),
        .init(text: "1k", value: 1_000, milli: 1_000_000, why: "k = 10^3"),
        .init(text: "8.1k", value: 8_100, milli: 8_100_000, why: "upstream: decQuantity(81, 2)"),
        .init(text: "100.035k", value: 100_035, milli: 100_035_000, why: "upstream table"),
        .init(text: "7.123456M", value: 7_123_456, milli: 7_123_456_000, why: "upstream table"),
        .init(text: "1.G", value: 1_000_000_000, milli: 1_000_000_000_000, why: "upstream allows 1.G"),
        .init(text: "2T", value: 2_000_000_000_000, milli: 2_000_000_000_000_000, why: "T = 10^12"),
        .init(text: "1P", value: 1_000_000_000_000_000, milli: 1_000_000_000_000_000_000, why: "10^18 m still fits"),
        // Binary SI suffixes.
        .init(text: "1Ki", value: 1_024, milli: 1_024_000, why: "2^10"),
        .init(text: "1.5Gi", value: 1_610_612_736, milli: 1_610_612_736_000, why: "1.5·2^30"),
        .init(text: "0.5Mi", value: 524_288, milli: 524_288_000, why: "upstream: .5·1024·1024"),
        .init(text: "100.035Ki", value: 102_436, milli: 102_435_840, why: "102435.84 → 102436"),
        .init(text: "1Ti", value: 1_099_511_627_776, milli: 1_099_511_627_776_000, why: "2^40"),
        .init(text: "0.000000000001Ki", value: 1, milli: 1, why: "1.024·10^-9, upstream parses as 2n"),
        // Negative (not valid as a request, but the grammar allows a sign). Only exact
        // values: upstream rounds negative fractions inconsistently (int64 path away from
        // zero, inf.Dec path towards +∞) and no request can be negative.
        .init(text: "-1", value: -1, milli: -1_000, why: "negative"),
        .init(text: "-1.5Ki", value: -1_536, milli: -1_536_000, why: "negative binary"),
    ]

    @Test(arguments: valid)
    func parsesEveryKubernetesForm(_ c: Case) throws {
        let q = try Quantity(parsing: c.text)
        #expect(q.value == c.value, "Value() of \(c.text): \(c.why)")
        #expect(q.milliValue == c.milli, "MilliValue() of \(c.text): \(c.why)")
        #expect(q.description == c.text)
    }

    /// Values beyond Int64 saturate, as `ParseQuantity` caps at `maxAllowed` (2^63 − 1).
    @Test func saturatesAtInt64() throws {
        #expect(try Quantity(parsing: "9Ei").value == Int64.max)  // 9·2^60 > 2^63
        #expect(try Quantity(parsing: "9223372036854775807Ki").value == Int64.max)
        #expect(try Quantity(parsing: "12E").milliValue == Int64.max)  // 1.2·10^22
        #expect(try Quantity(parsing: "1E").value == 1_000_000_000_000_000_000)
    }

    /// Rejected by apimachinery's `ParseQuantity` (its `invalid` test table, plus inner
    /// spaces and unknown suffixes). Strings without any digit (`Mi`, `m`, `.`, `-`) are
    /// outside the documented grammar (`<number>` needs a digit) and are rejected here,
    /// although upstream's lenient parser reads them as zero.
    @Test(arguments: [
        "", "1.5.5", "Mi", "m", "k", ".", "-", "+", "1 Gi", "1KB", "1K", "1ki", "1mi", "abc", "aoeu",
        "1.1.M", "1+1.0M", "0.1mi", "0.1am", ".5i", "1i", "-3.01i", "-3.01e-", "1e", "1e+", "1e3.5", "1Gb",
        "1GiB", "0x10", "1,5", "--1", "1_000", "Gi1",
    ])
    func rejectsBadQuantities(_ text: String) {
        #expect(throws: Quantity.ParseError.self) { try Quantity(parsing: text) }
    }

    @Test func parseErrorNamesTheText() {
        #expect(Quantity.ParseError(text: "1KB").description.contains("\"1KB\""))
    }

    @Test func constructors() {
        #expect(Quantity(Int64(4)).value == 4)
        #expect(Quantity(Int64(4)).milliValue == 4_000)
        #expect(Quantity(milli: 250).milliValue == 250)
        #expect(Quantity(milli: 250).value == 1)
        #expect(Quantity(milli: 250).description == "250m")
    }

    /// Equality compares amounts, not spellings (`Cmp` upstream), at milli precision.
    @Test func equalityIsByAmount() throws {
        #expect(try Quantity(parsing: "1Ki") == Quantity(parsing: "1024"))
        #expect(try Quantity(parsing: "1") == Quantity(parsing: "1000m"))
        #expect(try Quantity(parsing: "0.5") == Quantity(parsing: "500m"))
        #expect(try Quantity(parsing: "1G") == Quantity(parsing: "1e9"))
        #expect(try Quantity(parsing: "1G") != Quantity(parsing: "1Gi"))
        let set: Set<Quantity> = [try Quantity(parsing: "1"), try Quantity(parsing: "1000m")]
        #expect(set.count == 1)
    }

    struct Box: Decodable { var q: Quantity }

    /// JSON (and YAML) may give a quantity as a string or a bare number; `UnmarshalJSON`
    /// trims surrounding whitespace before parsing (`TestJSONWhitespace` upstream).
    @Test(arguments: [
        (#"{"q": "250m"}"#, Int64(250)),
        (#"{"q": 2}"#, 2_000),
        (#"{"q": 0.5}"#, 500),
        (#"{"q": 1e3}"#, 1_000_000),
        (#"{"q": 128974848}"#, 128_974_848_000),
        (#"{"q": " 1"}"#, 1_000),
        (#"{"q": "1 "}"#, 1_000),
        (#"{"q": "1.5Gi"}"#, 1_610_612_736_000),
    ])
    func decodesFromJSON(json: String, milli: Int64) throws {
        let b = try JSONDecoder().decode(Box.self, from: Data(json.utf8))
        #expect(b.q.milliValue == milli)
    }

    @Test(arguments: [#"{"q": "1KB"}"#, #"{"q": "abc"}"#, #"{"q": true}"#, #"{"q": ""}"#])
    func badJSONQuantitiesAreDataCorrupted(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data(json.utf8)) }
    }
}

/// `Resources(list)`: the scheduler's units.
@Suite struct ResourcesTests {
    @Test func convertsARequestMap() throws {
        let r = Resources([
            "cpu": try Quantity(parsing: "250m"),
            "memory": try Quantity(parsing: "64Mi"),
            "ephemeral-storage": try Quantity(parsing: "1Gi"),
            "nvidia.com/gpu": try Quantity(parsing: "2"),
            "hugepages-2Mi": try Quantity(parsing: "4Mi"),
            "pods": try Quantity(parsing: "110"),
        ])
        #expect(r.milliCPU == 250)
        #expect(r.memoryBytes == 67_108_864)  // 64·2^20
        #expect(r.ephemeralStorageBytes == 1_073_741_824)
        #expect(r.scalar == ["nvidia.com/gpu": 2, "hugepages-2Mi": 4_194_304])  // pods left out
    }

    @Test func arithmetic() {
        let a = Resources(milliCPU: 100, memoryBytes: 10, scalar: ["x": 1])
        let b = Resources(milliCPU: 50, memoryBytes: 40, ephemeralStorageBytes: 5, scalar: ["x": 2, "y": 3])
        #expect(a + b == Resources(milliCPU: 150, memoryBytes: 50, ephemeralStorageBytes: 5, scalar: ["x": 3, "y": 3]))
        #expect(a.max(b) == Resources(milliCPU: 100, memoryBytes: 40, ephemeralStorageBytes: 5, scalar: ["x": 2, "y": 3]))
        var c = a + b
        c.subtract(b)
        #expect(c.milliCPU == 100 && c.memoryBytes == 10 && c.ephemeralStorageBytes == 0)
        #expect(c.scalar["x"] == 1 && c.scalar["y"] == 0)
    }
}

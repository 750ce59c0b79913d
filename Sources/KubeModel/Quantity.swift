/// A Kubernetes resource quantity (`100m`, `0.5`, `1e3`, `129e6`, `123Mi`, `1.5Gi`, `1k`).
///
/// Kept exact: the value is `mantissa × 10^exponent10 × 2^exponent2`, so `0.1` CPU is
/// 100 millicores and not 99.99. Conversions round up, as `resource.Quantity.Value()` and
/// `MilliValue()` do upstream (k8s.io/apimachinery/pkg/api/resource/quantity.go).
public struct Quantity: Hashable, Sendable, CustomStringConvertible {
    public let mantissa: Int128
    public let exponent10: Int
    public let exponent2: Int
    /// The text as written, for messages.
    public let text: String

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let text: String
        public var description: String {
            "quantity \"\(text)\" is not a Kubernetes quantity (e.g. 500m, 2, 1.5Gi, 128974848, 129e6)"
        }
    }

    /// Parses the quantity grammar of apimachinery:
    /// `<sign><digits>[.<digits>]<suffix>`; suffix one of `Ki Mi Gi Ti Pi Ei`,
    /// `n u m "" k M G T P E`, or `e<signed int>` / `E<signed int>`.
    public init(parsing raw: String) throws {
        let s = Array(raw.trimmingSpaces.utf8)
        var i = 0
        var negative = false
        if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            negative = s[i] == UInt8(ascii: "-"); i += 1
        }
        var mantissa: Int128 = 0
        var exp10 = 0
        var digits = 0
        var sawDot = false
        while i < s.count {
            let c = s[i]
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(Int128(c - UInt8(ascii: "0")))
                if o1 || o2 { throw ParseError(text: raw) }
                mantissa = m2
                if sawDot { exp10 -= 1 }
                digits += 1
            } else if c == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else {
                break
            }
            i += 1
        }
        guard digits > 0 else { throw ParseError(text: raw) }
        let suffix = String(decoding: s[i...], as: UTF8.self)
        var exp2 = 0
        switch suffix {
        case "": break
        case "n": exp10 -= 9
        case "u": exp10 -= 6
        case "m": exp10 -= 3
        case "k": exp10 += 3
        case "M": exp10 += 6
        case "G": exp10 += 9
        case "T": exp10 += 12
        case "P": exp10 += 15
        case "E": exp10 += 18
        case "Ki": exp2 = 10
        case "Mi": exp2 = 20
        case "Gi": exp2 = 30
        case "Ti": exp2 = 40
        case "Pi": exp2 = 50
        case "Ei": exp2 = 60
        default:
            guard let first = suffix.first, first == "e" || first == "E",
                let e = Int(suffix.dropFirst()), suffix.count > 1, abs(e) < 40
            else { throw ParseError(text: raw) }
            exp10 += e
        }
        self.mantissa = negative ? -mantissa : mantissa
        self.exponent10 = exp10
        self.exponent2 = exp2
        self.text = raw
    }

    /// A quantity of whole units, such as bytes or pods.
    public init(_ value: Int64) {
        mantissa = Int128(value); exponent10 = 0; exponent2 = 0; text = String(value)
    }

    /// A quantity in thousandths, such as millicores.
    public init(milli: Int64) {
        mantissa = Int128(milli); exponent10 = -3; exponent2 = 0; text = "\(milli)m"
    }

    /// The value scaled by 10^scale, rounded up (towards +∞), saturating at Int64 bounds.
    public func scaled(by scale: Int) -> Int64 {
        var num = mantissa
        var den: Int128 = 1
        for _ in 0..<exponent2 {
            let (m, o) = num.multipliedReportingOverflow(by: 2)
            if o { return num < 0 ? Int64.min : Int64.max }
            num = m
        }
        let e = exponent10 + scale
        if e >= 0 {
            for _ in 0..<e {
                let (m, o) = num.multipliedReportingOverflow(by: 10)
                if o { return num < 0 ? Int64.min : Int64.max }
                num = m
            }
        } else {
            for _ in 0..<(-e) {
                let (m, o) = den.multipliedReportingOverflow(by: 10)
                if o { return num > 0 ? 1 : 0 }  // far below one unit: rounds up to 1 (or 0)
                den = m
            }
        }
        var q = num / den
        if num % den != 0, num > 0 { q += 1 }  // ceiling
        if q > Int128(Int64.max) { return Int64.max }
        if q < Int128(Int64.min) { return Int64.min }
        return Int64(q)
    }

    /// Whole units, rounded up (`Quantity.Value()`): bytes for memory, a count for pods.
    public var value: Int64 { scaled(by: 0) }
    /// Thousandths, rounded up (`Quantity.MilliValue()`): millicores for CPU.
    public var milliValue: Int64 { scaled(by: 3) }

    public var description: String { text }

    public static func == (a: Quantity, b: Quantity) -> Bool { a.milliValue == b.milliValue }
    public func hash(into h: inout Hasher) { h.combine(milliValue) }
}

extension Quantity: Decodable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text: String
        if let s = try? c.decode(String.self) {
            text = s
        } else if let i = try? c.decode(Int64.self) {
            text = String(i)
        } else {
            text = String(try c.decode(Double.self))
        }
        do { try self.init(parsing: text) } catch let e as ParseError {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: e.description)
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

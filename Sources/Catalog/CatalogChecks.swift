/// Range checks of a user's catalog (`--catalog FILE`), made while it is decoded so that the
/// error points at the field: every price, amount and rate finite and within bounds far above
/// any real price, dates real calendar dates, an exchange rate between two currencies.
enum CatalogChecks {
    /// Largest price or amount per unit (1e9 in the catalog's currency) and exchange rate (1e6).
    static let maxAmount = 1e9
    static let maxRate = 1e6

    /// A price or amount: finite, 0 or more, at most `maxAmount`.
    static func amount(_ decoder: Decoder, _ key: String, _ v: Double?) throws {
        guard let v else { return }
        guard v.isFinite, v >= 0 else { throw CatalogOverride.bad(decoder, key, "\(v) must be a finite number, 0 or more") }
        guard v <= maxAmount else { throw CatalogOverride.bad(decoder, key, "\(v) is above the limit of 1e9") }
    }

    /// A count such as vcpu or maxPods: 1 to 1,000,000.
    static func count(_ decoder: Decoder, _ key: String, _ v: Int?) throws {
        guard let v else { return }
        guard (1...1_000_000).contains(v) else { throw CatalogOverride.bad(decoder, key, "\(v) must be between 1 and 1000000") }
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real date), optionally followed by a space and a
    /// remark, as the shipped catalogs write `asOf`.
    static func date(_ decoder: Decoder, _ key: String, _ s: String?) throws {
        guard let s else { return }
        let head = s.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard isDate(head) else {
            throw CatalogOverride.bad(decoder, key, "\"\(s)\" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        }
    }

    static func isDate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts[0].count == 4, let year = Int(parts[0]), year >= 1970
        else { return false }
        guard parts.count >= 2 else { return true }
        guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return false }
        guard parts.count == 3 else { return true }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard parts[2].count == 2, let day = Int(parts[2]) else { return false }
        return (1...days).contains(day)
    }

    /// An ISO 4217-shaped currency code: three capital letters.
    static func currency(_ decoder: Decoder, _ key: String, _ s: String) throws {
        guard s.count == 3, s.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw CatalogOverride.bad(decoder, key, "\"\(s)\" is not a currency code (three capital letters, e.g. EUR)")
        }
    }
}

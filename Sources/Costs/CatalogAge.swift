import Catalog
import Foundation

/// Prices change: a catalog older than `maxAgeDays` on the day of the run is named in a note,
/// so that an old figure is never read as today's.
public enum CatalogAge {
    public static let maxAgeDays = 90

    /// The first date in an as-of text ("2026-08-14", "2026-02 (catalog file …)", "2026 (…)"),
    /// at its earliest day.
    static func date(_ asOf: String) -> Date? {
        let digits = asOf.prefix { $0.isNumber || $0 == "-" }.split(separator: "-").compactMap { Int($0) }
        guard let year = digits.first, year > 1900 else { return nil }
        var c = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"))
        c.year = year; c.month = digits.count > 1 ? digits[1] : 1; c.day = digits.count > 2 ? digits[2] : 1
        return c.date
    }

    /// Today as `YYYY-MM-DD` (UTC).
    public static func today(_ now: Date = Date()) -> String {
        let f = DateFormatter()
        f.calendar = Calendar(identifier: .gregorian)
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: now)
    }

    /// One note naming the catalogs (of `providers`) older than `maxAgeDays` on `today`.
    public static func note(_ catalog: PriceCatalog, providers: [String], today: String?) -> String? {
        guard let today, let now = date(today) else { return nil }
        var old: [String] = []
        for p in providers.sorted() {
            guard let asOf = catalog.providers[p]?.asOf, let d = date(asOf) else { continue }
            if now.timeIntervalSince(d) > Double(maxAgeDays) * 86_400 { old.append("\(p) (\(asOf.prefix { $0 != " " }))") }
        }
        guard !old.isEmpty else { return nil }
        return "Catalogs older than \(maxAgeDays) days on \(today): \(old.joined(separator: ", ")); prices may have changed "
            + "since: check them, or give current ones with --catalog."
    }
}

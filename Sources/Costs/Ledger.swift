import Catalog
import Foundation

/// Collects the lines of one option in the provider's currency and converts them to the report currency.
///
/// Money is rounded to cents once per line (amount and converted), and totals are sums of cents, so
/// that the printed items always add up to the printed total.
struct Ledger {
    let currency: String
    var lines: [CostLine] = []
    var notes: [String] = []
    var unpriced: [String] = []

    init(currency: String) { self.currency = currency }

    static func cents(_ x: Double) -> Int64 { Int64((x * 100).rounded(.toNearestOrAwayFromZero)) }
    static func round2(_ x: Double) -> Double { Double(cents(x)) / 100 }

    /// A priced line: quantity × unitPrice.
    mutating func add(
        _ item: String, category: String, quantity: Double, unit: String, unitPrice: Double,
        provenance: Provenance, basis: String? = nil, currency: String? = nil
    ) {
        lines.append(
            CostLine(
                item: item, category: category, quantity: quantity, unit: unit, unitPrice: unitPrice,
                amount: Ledger.round2(quantity * unitPrice), currency: currency ?? self.currency,
                converted: 0, asOf: provenance.asOf, source: provenance.source,
                confidence: provenance.confidence?.rawValue, basis: basis, priced: true))
    }

    /// A line the catalog cannot price: shown with amount 0 and listed as unpriced, never
    /// silently dropped.
    mutating func addUnpriced(
        _ item: String, category: String, quantity: Double, unit: String, why: String,
        provenance: Provenance = Provenance(), currency: String? = nil
    ) {
        lines.append(
            CostLine(
                item: item, category: category, quantity: quantity, unit: unit, unitPrice: nil, amount: 0,
                currency: currency ?? self.currency, converted: 0, asOf: provenance.asOf, source: provenance.source,
                confidence: provenance.confidence?.rawValue, basis: why, priced: false))
        unpriced.append("\(item): \(why)")
    }

    /// An item of the catalog × quantity, or an unpriced line when the catalog has no price.
    mutating func add(
        item: PriceItem?, id: String, name: String, category: String, quantity: Double, unit: String,
        basis: String? = nil, region: String? = nil, currency: String? = nil
    ) {
        guard let item, let price = item.price else {
            addUnpriced(
                name, category: category, quantity: quantity, unit: unit,
                why: "no price for \(id)\(region.map { " in \($0)" } ?? "") in the catalog (add it with --catalog)",
                provenance: item.map(Provenance.init) ?? Provenance(), currency: currency)
            return
        }
        add(
            name, category: category, quantity: quantity, unit: unit, unitPrice: price, provenance: Provenance(item),
            basis: basis, currency: currency)
    }

    /// Converts every line to `report` and returns the option's lines and total.
    func converted(to report: String, catalog: PriceCatalog, fx: inout [String: FXUsed]) throws -> ([CostLine], Double) {
        var total: Int64 = 0
        var out: [CostLine] = []
        for var l in lines {
            guard let conv = catalog.conversion(from: l.currency, to: report) else {
                throw CostError(
                    "no exchange rate from \(l.currency) to \(report) in the catalog (add one under fx with --catalog)")
            }
            if let r = conv.rate { fx[r.base + r.quote] = FXUsed(rate: r.rate, date: r.date, source: r.source) }
            let c = Ledger.cents(l.amount * conv.factor)
            l.converted = Double(c) / 100
            total += c
            out.append(l)
        }
        return (out, Double(total) / 100)
    }
}

/// Where a price came from.
struct Provenance {
    var asOf: String?
    var source: String?
    var confidence: Confidence?

    init(asOf: String? = nil, source: String? = nil, confidence: Confidence? = nil) {
        self.asOf = asOf; self.source = source; self.confidence = confidence
    }
    init(_ item: PriceItem) { self.init(asOf: item.asOf, source: item.source, confidence: item.confidence) }
    init(_ price: TypePrice) { self.init(asOf: price.asOf, source: price.source, confidence: price.confidence) }
}

/// Money in notes: always two decimals.
func num2(_ x: Double) -> String { String(format: "%.2f", x) }

/// Number formatting for `basis` strings: as few decimals as the value needs (up to 6).
func num(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
    var s = String(format: "%.6f", x)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}

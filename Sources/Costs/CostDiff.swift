/// `k3sim cost diff A B`: what changes between two options, per item, in money.
///
/// Both are in the same report currency. Items are matched by category and name; one only in A is
/// dropped in B, and the other way round.
public struct CostDiff: Codable, Sendable, Equatable {
    public struct Side: Codable, Sendable, Equatable {
        public var scenario: String
        public var monthly: Double
        public var complete: Bool
    }
    public struct Item: Codable, Sendable, Equatable {
        public var item: String
        public var category: String
        /// Amounts in the report currency; nil where the item is absent.
        public var a: Double?
        public var b: Double?
        public var change: Double
        /// False when either side's line has no price (the change is then not known).
        public var priced: Bool
    }
    public var currency: String
    public var a: Side
    public var b: Side
    /// Items whose amount changes (added and dropped ones included) or is unknown (unpriced),
    /// in A's order then B's new items; items that cost the same on both sides are left out.
    public var items: [Item]
    public var change: Double

    public init(a: CostOption, named an: String, b: CostOption, named bn: String) throws {
        guard a.currency == b.currency else {
            throw CostError("the two options are in different currencies (\(a.currency), \(b.currency))")
        }
        currency = a.currency
        self.a = Side(scenario: an, monthly: a.monthly, complete: a.complete)
        self.b = Side(scenario: bn, monthly: b.monthly, complete: b.complete)
        func key(_ l: CostLine) -> String { l.category + "\u{1F}" + l.item }
        var out: [Item] = []
        let bLines = Dictionary(b.items.map { (key($0), $0) }, uniquingKeysWith: { x, _ in x })
        let aKeys = Set(a.items.map(key))
        for l in a.items {
            let other = bLines[key(l)]
            out.append(
                Item(
                    item: l.item, category: l.category, a: l.converted, b: other?.converted,
                    change: Ledger.round2((other?.converted ?? 0) - l.converted), priced: l.priced && other?.priced != false))
        }
        for l in b.items where !aKeys.contains(key(l)) {
            out.append(Item(item: l.item, category: l.category, a: nil, b: l.converted, change: l.converted, priced: l.priced))
        }
        items = out.filter { $0.change != 0 || !$0.priced }
        change = Ledger.round2(b.monthly - a.monthly)
    }
}

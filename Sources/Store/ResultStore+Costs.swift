import GRDB

/// The monthly cost of a run's platform, as `k3sim cost` computes it, stored beside the run.
///
/// Stored so that reports can put "what it costs" next to "how it recovered". Plain values: the
/// Store does not depend on the Costs module; the CLI maps its options to these.
public struct StoredCostOption: Sendable, Equatable {
    public var provider: String
    public var distribution: String
    public var region: String
    /// "scenario" or "plan".
    public var origin: String
    public var currency: String
    public var monthly: Double
    public var items: [StoredCostItem]

    public init(
        provider: String, distribution: String, region: String, origin: String, currency: String,
        monthly: Double, items: [StoredCostItem]
    ) {
        self.provider = provider; self.distribution = distribution; self.region = region; self.origin = origin
        self.currency = currency; self.monthly = monthly; self.items = items
    }
}

public struct StoredCostItem: Sendable, Equatable {
    public var item: String
    public var category: String
    public var quantity: Double
    public var unit: String
    /// Nil for a line the catalog could not price.
    public var unitPrice: Double?
    public var amount: Double
    public var currency: String
    /// The amount in the option's currency.
    public var converted: Double
    public var asOf: String?
    public var source: String?
    public var confidence: String?

    public init(
        item: String, category: String, quantity: Double, unit: String, unitPrice: Double?, amount: Double,
        currency: String, converted: Double, asOf: String?, source: String?, confidence: String?
    ) {
        self.item = item; self.category = category; self.quantity = quantity; self.unit = unit
        self.unitPrice = unitPrice; self.amount = amount; self.currency = currency; self.converted = converted
        self.asOf = asOf; self.source = source; self.confidence = confidence
    }
}

extension Schema {
    /// The `run_cost` table, one row per priced option of a run, and `run_cost_item`, its lines in order.
    ///
    /// Both cascade with the run, like every child of `run`.
    static func v4Costs(_ db: Database) throws {
        try db.create(table: "run_cost") { t in
            t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
            t.column("seq", .integer).notNull()
            t.column("provider", .text).notNull()
            t.column("distribution", .text).notNull()
            t.column("region", .text).notNull()
            t.column("origin", .text).notNull()
            t.column("currency", .text).notNull()
            t.column("monthly", .real).notNull()
            t.primaryKey(["run_id", "seq"])
        }
        try db.create(table: "run_cost_item") { t in
            t.column("run_id", .integer).notNull()
            t.column("option_seq", .integer).notNull()
            t.column("seq", .integer).notNull()
            t.column("item", .text).notNull()
            t.column("category", .text).notNull()
            t.column("quantity", .real).notNull()
            t.column("unit", .text).notNull()
            t.column("unit_price", .real)  // NULL: not priced by the catalog
            t.column("amount", .real).notNull()
            t.column("currency", .text).notNull()
            t.column("converted", .real).notNull()
            t.column("as_of", .text)
            t.column("source", .text)
            t.column("confidence", .text)
            t.primaryKey(["run_id", "option_seq", "seq"])
            t.foreignKey(["run_id", "option_seq"], references: "run_cost", columns: ["run_id", "seq"], onDelete: .cascade)
        }
    }
}

extension ResultStore {
    /// Stores the cost options of `runIDs` (the same options for each run of a batch), in one transaction.
    ///
    /// Costs are written after their runs: a run whose costs fail to save stays stored, without
    /// costs.
    public func saveCosts(_ options: [StoredCostOption], runIDs: [Int64]) throws {
        guard !options.isEmpty, !runIDs.isEmpty else { return }
        try perform("cannot save the costs of run \(runIDs[0]) to \(path)") {
            try dbQueue.write { db in try Self.insertCosts(db, options, runIDs: runIDs) }
        }
    }

    static func insertCosts(_ db: Database, _ options: [StoredCostOption], runIDs: [Int64]) throws {
        for runID in runIDs {
            for (i, o) in options.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO run_cost (run_id, seq, provider, distribution, region, origin, currency, monthly)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [runID, i, o.provider, o.distribution, o.region, o.origin, o.currency, o.monthly])
                for (j, l) in o.items.enumerated() {
                    try db.execute(
                        sql: """
                            INSERT INTO run_cost_item (run_id, option_seq, seq, item, category, quantity, unit, unit_price,
                                                       amount, currency, converted, as_of, source, confidence)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            runID, i, j, l.item, l.category, l.quantity, l.unit, l.unitPrice, l.amount,
                            l.currency, l.converted, l.asOf, l.source, l.confidence,
                        ])
                }
            }
        }
    }

    /// The cost options stored with a run, in the order they were saved (empty: none).
    public func costs(runID: Int64) throws -> [StoredCostOption] {
        try perform("cannot read the costs of run \(runID) from \(path)") {
            try dbQueue.read { db in try Self.readCosts(db, runID: runID) }
        }
    }

    static func readCosts(_ db: Database, runID: Int64) throws -> [StoredCostOption] {
        let items = try Row.fetchAll(
            db, sql: "SELECT * FROM run_cost_item WHERE run_id = ? ORDER BY option_seq, seq",
            arguments: [runID])
        let byOption = Dictionary(grouping: items) { $0["option_seq"] as Int64 }
        return try Row.fetchAll(db, sql: "SELECT * FROM run_cost WHERE run_id = ? ORDER BY seq", arguments: [runID]).map { r in
            let seq: Int64 = r["seq"]
            return StoredCostOption(
                provider: r["provider"], distribution: r["distribution"], region: r["region"], origin: r["origin"],
                currency: r["currency"], monthly: r["monthly"],
                items: (byOption[seq] ?? []).map { l in
                    StoredCostItem(
                        item: l["item"], category: l["category"], quantity: l["quantity"], unit: l["unit"],
                        unitPrice: l["unit_price"], amount: l["amount"], currency: l["currency"],
                        converted: l["converted"], asOf: l["as_of"], source: l["source"],
                        confidence: l["confidence"])
                })
        }
    }
}

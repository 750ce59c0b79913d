import Catalog

/// One line of a bill: what, how many, at what unit price, the amount, and where the price came from.
///
/// The unit price is in the price's own currency. `converted` is the amount in the report currency;
/// an option's `monthly` is the exact sum of its lines' `converted` (both in cents).
public struct CostLine: Codable, Sendable, Equatable {
    public var item: String
    /// compute, control-plane, network, storage, services, credit.
    public var category: String
    public var quantity: Double
    public var unit: String
    /// Price per unit in `currency`; nil when the catalog has no price (the line is then 0
    /// and listed under `unpriced`).
    public var unitPrice: Double?
    public var amount: Double
    public var currency: String
    public var converted: Double
    public var asOf: String?
    public var source: String?
    public var confidence: String?
    /// How the unit price was derived.
    ///
    /// For instance "min(0.0168 EUR/h × 730 h, 10.49 EUR/month)".
    public var basis: String?
    public var priced: Bool
}

/// Machines of one type in an option.
public struct NodeCount: Codable, Sendable, Equatable {
    public var type: String
    public var count: Int
    /// server (self-managed control plane) or agent.
    public var role: String
    public init(type: String, count: Int, role: String = "agent") { self.type = type; self.count = count; self.role = role }
}

/// Ops effort, computed only when the scenario states it and never part of `monthly`.
public struct OpsCost: Codable, Sendable, Equatable {
    public var hours: Double
    public var ratePerHour: Double
    public var amount: Double
    public var currency: String
    public var converted: Double
    public var assumption: String
}

/// The monthly cost of one platform option.
public struct CostOption: Codable, Sendable, Equatable {
    public var provider: String
    public var distribution: String
    public var region: String
    /// "scenario" (the machines the scenario names) or "plan" (sized by the planner).
    public var origin: String
    /// Infrastructure only, in the report currency: the sum of the lines' `converted`.
    public var monthly: Double
    /// False when some line has no price: `monthly` is then a lower bound (shown "≥").
    public var complete: Bool
    public var currency: String
    public var items: [CostLine]
    public var nodes: [NodeCount]
    /// Lines the catalog could not price (add them with `--catalog`).
    public var unpriced: [String]
    public var notes: [String]
    public var ops: OpsCost?
    /// `monthly` + ops, when ops effort is given.
    public var monthlyWithOps: Double?
    /// For planned options: the failure the node set survives.
    public var survives: String?
    /// With `--simulate N`: how the workloads fared under the scenario's faults on these nodes.
    public var behaviour: Behaviour? = nil
}

/// An exchange rate a report used.
public struct FXUsed: Codable, Sendable, Equatable {
    public var rate: Double
    public var date: String
    public var source: String?
}

/// `k3sim cost`: the scenario's own platform and the same workload elsewhere.
public struct CostReport: Codable, Sendable, Equatable {
    public var currency: String
    /// "EURUSD" → rate (1 EUR = rate USD), for every conversion used.
    public var fx: [String: FXUsed]
    public var options: [CostOption]
    /// Catalog as-of dates per provider.
    public var catalogs: [String: String]
    public var notes: [String]
    /// With `--by`: the scenario's machines split over namespaces or workloads.
    public var allocation: CostAllocationReport? = nil
}

/// What cannot be costed or planned, in one sentence.
public struct CostError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

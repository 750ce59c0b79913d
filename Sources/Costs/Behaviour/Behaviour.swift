import Simulation

/// How the workloads fared when the scenario's faults ran on an option's nodes, over a few
/// seeds: the figures `k3sim run --runs N` reports, per option, beside its price.
public struct Behaviour: Codable, Sendable, Equatable {
    public struct Workload: Codable, Sendable, Equatable {
        public var name: String
        public var availability: Statistic
        public var secondsBelowDesired: Statistic
        public var secondsUnavailable: Statistic
    }
    public var runs: Int
    public var seeds: [UInt64]
    public var workloads: [Workload]
    public var pendingPodsAtEnd: Statistic
    public var writeUnavailableSeconds: Statistic
    /// The faults as they ran on this option's nodes ("crash node/agents-1 at 600 s").
    public var faults: [String]
    /// Faults that could not be placed on this option's nodes, and what is not modelled.
    public var notes: [String]
    /// The ids of the stored runs, in seed order, when they were stored (`--simulate N --db`).
    public var runIDs: [Int64]? = nil

    /// The figures of `records` (one per seed, the same scenario), workloads in the order of
    /// the first record.
    public init(records: [RunRecord], faults: [String] = [], notes: [String] = []) {
        runs = records.count
        seeds = records.map(\.seed)
        let names = records.first?.workloads.map(\.name) ?? []
        workloads = names.map { name in
            let results = records.compactMap { r in r.workloads.first { $0.name == name } }
            return Workload(
                name: name, availability: Statistic(results.map(\.availability)),
                secondsBelowDesired: Statistic(results.map(\.secondsBelowDesired)),
                secondsUnavailable: Statistic(results.map(\.secondsUnavailable)))
        }
        pendingPodsAtEnd = Statistic(records.map { Double($0.pendingPodsAtEnd) })
        writeUnavailableSeconds = Statistic(records.map(\.controlPlane.writeUnavailableSeconds))
        self.faults = faults
        self.notes = notes
    }

    /// The workload with the lowest median availability (then the lowest minimum, then the
    /// name): the one a summary row speaks for.
    public var worst: Workload? {
        workloads.min { a, b in
            (a.availability.p50, a.availability.min, a.name) < (b.availability.p50, b.availability.min, b.name)
        }
    }

    /// What a run on the option's nodes does not show.
    public static let notModelled =
        "Each option runs its platform's node auto-repair (GKE on; EKS managed node "
        + "groups only with nodeAutoRepair: true; none on LKE and self-managed platforms); a managed control plane "
        + "fails only in an upgrade of target controlplane, and its own outages are not modelled"
}

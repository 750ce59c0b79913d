import ArgumentParser
import Foundation
import Live
import Simulation
import Store

/// `k3sim live etcd partition`: a real etcd cut apart in network namespaces, against the simulation.
struct LiveEtcdPartition: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partition",
        abstract:
            "Cut a real etcd member off from raft, simulate the same partition over N seeds, compare and store the validation.",
        discussion: """
            Needs root and an etcd binary. Starts a three-member etcd (heartbeat 100 ms, election timeout 1 s, --pre-vote) with \
            each member in its own network namespace, cuts the leader or a follower off from raft traffic for --partition \
            while writing through a majority follower and through the cut-off member, heals it, and tears everything down \
            (also on Ctrl-C). Stores the trials as a live run, the simulated runs and a validation of kind etcd-partition.
            """)
    @Option(help: "leader or follower: which member is cut off.") var role: String = "leader"
    @Option(help: "How long each partition lasts.") var partition: String = "10s"
    @Option(help: "Partitions, one after another on the same cluster.") var trials: Int = 3
    @Option(help: "Simulated runs (seeds from 1).") var runs: Int = 200
    @Option(help: "The etcd binary (default: etcd on PATH).") var etcd: String?
    @OptionGroup var database: DatabaseOption
    @Flag(help: "JSON on stdout: the comparison, the trials and the stored ids.") var json = false

    func validate() throws {
        guard EtcdPartitionExperiment.Role(rawValue: role) != nil else {
            throw ValidationError("--role must be leader or follower, not \"\(role)\"")
        }
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() async throws {
        guard let role = EtcdPartitionExperiment.Role(rawValue: role) else {
            throw ValidationError("--role must be leader or follower")
        }
        let partitionSeconds = try seconds(partition, option: "--partition")
        let found = EtcdPartitionPrerequisites.look(etcdPath: etcd)
        if let missing = EtcdPartitionPrerequisites.missing(found, etcdPath: etcd) { throw CLIError.badInput(missing) }
        guard let ip = found.ip, let etcdBinary = found.etcd else { throw CLIError.badInput("no etcd binary or address") }
        if let why = EtcdPartitionPrerequisites.namespacesRefused(ip: ip) {
            throw CLIError.badInput(
                "k3sim live etcd partition cannot create network namespaces here (\(why)): it needs root with CAP_SYS_ADMIN, e.g. a privileged container"
            )
        }
        let store = try liveErrors { try ResultStore(path: database.path) }
        let experiment = EtcdPartitionExperiment(role: role, partitionSeconds: partitionSeconds)
        let measured = try withInterruptCancellation { cancel in
            do {
                return try EtcdPartitionTrials.run(
                    experiment, trials: trials, ip: ip, etcd: etcdBinary, cancellation: cancel,
                    progress: { if !json { printErr($0) } })
            } catch let e as EtcdPartitionError {
                throw CLIError.failure("the partition check stopped (namespaces and members removed): \(e.message)")
            }
        }
        if !json { printErr("simulating the same partitions over \(runs) seeds") }
        let simulation = EtcdPartitionSimulation(role: role, trials: trials, partitionSeconds: partitionSeconds)
        let outcome = try await liveErrors {
            try await EtcdPartitionValidator.validate(
                trials: measured.trials, simulation: simulation, runs: runs,
                writeInterval: experiment.intervalSeconds, etcdVersion: measured.etcdVersion,
                wallSeconds: measured.wallSeconds, store: store, k3simVersion: K3sim.version)
        }
        if json {
            print(
                try JSONSummary.encode(
                    EtcdPartitionText.JSON(
                        role: role.rawValue, partitionSeconds: partitionSeconds,
                        etcdVersion: measured.etcdVersion, namespaces: measured.namespaces,
                        outcome: outcome, trials: measured.trials)))
        } else {
            print(
                EtcdPartitionText.text(
                    outcome, role: role, partitionSeconds: partitionSeconds, etcdVersion: measured.etcdVersion,
                    trials: measured.trials.count, db: database.path))
        }
    }
}

/// Terminal and JSON output of `k3sim live etcd partition`.
enum EtcdPartitionText {
    struct JSON: Encodable {
        struct Row: Encodable {
            let quantity: String, label: String, trial: Int, observed: Double?, simulated: Statistic?, simulatedRuns: Int
            let inside: Bool?, verdict: String
        }
        let role: String, partitionSeconds: Double, etcdVersion: String, namespaces: [String], scenario: String
        let liveRunId: Int64, simulatedRunIds: [Int64], validationId: Int64, simulatedRuns: Int, toleranceSeconds: Double
        let quantities: [Row]
        let trials: [EtcdPartitionExperiment.Trial]

        init(
            role: String, partitionSeconds: Double, etcdVersion: String, namespaces: [String],
            outcome o: EtcdPartitionValidator.Outcome,
            trials: [EtcdPartitionExperiment.Trial]
        ) {
            self.role = role; self.partitionSeconds = partitionSeconds; self.etcdVersion = etcdVersion;
            self.namespaces = namespaces
            scenario = o.scenarioName; liveRunId = o.liveRunID; simulatedRunIds = o.simulatedRunIDs; validationId = o.validationID
            simulatedRuns = o.simulatedRunIDs.count; toleranceSeconds = o.tolerance
            quantities = o.rows.map {
                Row(
                    quantity: $0.quantity.rawValue, label: $0.quantity.label, trial: $0.trial, observed: $0.observed,
                    simulated: $0.simulated, simulatedRuns: $0.simulatedRuns, inside: $0.inside, verdict: $0.verdict)
            }
            self.trials = trials
        }
    }

    static func text(
        _ o: EtcdPartitionValidator.Outcome, role: EtcdPartitionExperiment.Role, partitionSeconds: Double,
        etcdVersion: String, trials: Int, db: String
    ) -> String {
        var table = [["quantity", "trial", "real", "sim p50", "sim p95", "sim range", "verdict"]]
        for q in EtcdPartitionQuantity.allCases {
            for r in o.rows where r.quantity == q {
                table.append([
                    q.label, "\(r.trial + 1)", value(r.observed, q), value(r.simulated?.p50, q), value(r.simulated?.p95, q),
                    r.simulated.map { range($0, q) } ?? "—", r.verdict,
                ])
            }
        }
        let header = String(
            format: "etcd %@, %@ cut off from raft for %g s, %d trial(s), against %d simulated runs (tolerance %.3f s):",
            etcdVersion, role.rawValue, partitionSeconds, trials, o.simulatedRunIDs.count, o.tolerance)
        let verdicts = EtcdPartitionQuantity.allCases.map { q -> String in
            let rs = o.rows.filter { $0.quantity == q }
            guard q.simulated else { return "\(q.label): not simulated" }
            return "\(q.label): \(rs.filter { $0.inside == true }.count) of \(rs.count) inside"
        }
        return
            ([header, TextSummary.columns(table) { c in (1...5).contains(c) }, ""] + verdicts + [
                "validation #\(o.validationID) stored in \(db) (live run #\(o.liveRunID), simulated runs #\(o.simulatedRunIDs.first ?? 0)–#\(o.simulatedRunIDs.last ?? 0)); "
                    + "`k3sim report \(o.liveRunID)` renders it"
            ]).joined(separator: "\n")
    }

    static func range(_ s: Statistic, _ q: EtcdPartitionQuantity) -> String {
        q.isFraction ? String(format: "%.0f–%.0f%%", s.min * 100, s.max * 100) : String(format: "%.2f–%.2f s", s.min, s.max)
    }

    static func value(_ v: Double?, _ q: EtcdPartitionQuantity) -> String {
        guard let v else { return "—" }
        return q.isFraction ? String(format: "%.0f%%", v * 100) : String(format: "%.2f s", v)
    }
}

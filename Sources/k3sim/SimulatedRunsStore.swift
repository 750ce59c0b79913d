import Costs
import Foundation
import Store

/// Stores the runs of `cost --simulate N` and `plan --simulate N` in a database.
///
/// Each option's runs are stored as `k3sim run --runs N` stores a batch, each run with the option's
/// cost (`run_cost`), so that `k3sim report` can put the options' cost against their availability
/// from the database. Without `--db` (or `$K3SIM_DB`) nothing is stored: pricing and planning leave
/// no file behind unless asked to.
enum SimulatedRunsStore {
    /// The database named by `--db` or `$K3SIM_DB`, nil when neither is given.
    static func path(_ database: DatabaseOption) -> String? {
        database.db ?? ProcessInfo.processInfo.environment["K3SIM_DB"]
    }

    /// `--db` without `--simulate` has nothing to store: a user error rather than a silent no-op.
    static func check(_ database: DatabaseOption, simulate: Int?) throws {
        if database.db != nil && simulate == nil {
            throw CLIError.badInput("--db: only with --simulate N (the simulated runs are what is stored)")
        }
    }

    /// Stores every option's runs, in the options' order, and returns each option's run ids.
    static func save(_ options: [(runs: OptionSimulation.Runs, cost: CostOption)], to path: String) throws -> [[Int64]] {
        let store: ResultStore
        do { store = try ResultStore(path: path) } catch let e as StoreError { throw CLIError.failure(e.description) }
        var ids: [[Int64]] = []
        for o in options {
            do {
                ids.append(
                    try store.save(
                        scenarioName: o.runs.scenarioName, scenarioText: o.runs.scenarioText,
                        records: o.runs.records, k3simVersion: K3sim.version,
                        costs: [RunCost.stored(o.cost)]))
            } catch let e as StoreError {
                throw CLIError.failure(e.description)
            }
        }
        return ids
    }

    /// Where the runs went, and the report that draws them: "hetzner k3s #1–#3, aws eks #4–#6".
    static func note(_ options: [CostOption], ids: [[Int64]], path: String) -> String {
        let parts = zip(options, ids).map { o, r in
            "\(o.provider) \(o.distribution) " + (r.count == 1 ? "#\(r[0])" : "#\(r[0])–#\(r[r.count - 1])")
        }
        let all = ids.flatMap { $0 }.map(String.init).joined(separator: " ")
        return "Simulated runs stored in \(path): " + parts.joined(separator: ", ")
            + "; `k3sim report \(all) --db \(path)` draws their cost against availability."
    }
}

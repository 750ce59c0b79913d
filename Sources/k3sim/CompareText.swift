import Catalog
import Costs
import Foundation
import Simulation

/// One scenario's column of a comparison: its runs and its own platform's cost.
struct ComparedScenario {
    let name: String
    let platform: PlatformSpec
    let records: [RunRecord]
    let runIDs: [Int64]
    let cost: CostOption?
}

/// The comparison as a table: one column per scenario, one row per figure; milestones in
/// seconds after their fault (the median when there are several runs).
enum CompareText {
    static func render(_ columns: [ComparedScenario], seeds: [UInt64], db: String) -> String {
        var rows: [[String]] = [[""] + columns.map(\.name)]
        rows.append(
            ["platform"]
                + columns.map { "\($0.platform.distribution.rawValue) on \($0.platform.provider.rawValue) \($0.platform.region)" }
        )
        rows.append(["control plane"] + columns.map { $0.platform.highlyAvailableControlPlane ? "highly available" : "single" })
        rows.append(["monthly cost"] + columns.map { $0.cost.map(CostText.total) ?? "not priced" })
        rows.append(
            ["lowest availability"]
                + columns.map { c in
                    median(c.records.map { $0.workloads.map(\.availability).min() ?? 1 }).map {
                        String(format: "%.4f %%", $0 * 100)
                    } ?? "—"
                })
        rows.append(
            ["API writes unavailable"]
                + columns.map { c in
                    median(c.records.map(\.controlPlane.writeUnavailableSeconds)).map(TextSummary.seconds) ?? "—"
                })
        rows.append(
            ["pending pods at the end"]
                + columns.map { c in
                    median(c.records.map { Double($0.pendingPodsAtEnd) }).map(TextSummary.number) ?? "—"
                })
        let faultCount = columns.map { $0.records.first?.faults.count ?? 0 }.max() ?? 0
        for f in 0..<faultCount {
            rows.append(
                ["F\(f)"]
                    + columns.map { c in
                        c.records.first.flatMap { f < $0.faults.count ? "\($0.faults[f].action) \($0.faults[f].target)" : nil }
                            ?? "—"
                    })
            for name in milestoneNames(columns, fault: f) {
                rows.append(
                    ["  \(name.rawValue)"]
                        + columns.map { c in
                            let delays = c.records.compactMap { r -> Double? in
                                guard f < r.faults.count, let t = r.faults[f].milestone(name) else { return nil }
                                return t - r.faults[f].at
                            }
                            guard let m = median(delays) else { return "—" }
                            return "+" + TextSummary.seconds(m)
                                + (delays.count < c.records.count ? " (\(delays.count)/\(c.records.count))" : "")
                        })
            }
        }
        let ids = columns.flatMap(\.runIDs).map(String.init).joined(separator: " ")
        let seedText =
            seeds.count == 1
            ? "seed \(seeds[0])" : "\(seeds.count) runs each, seeds \(seeds[0])–\(seeds[seeds.count - 1]), medians"
        return "Comparison of \(columns.count) scenarios (\(seedText)); milestones in seconds after their fault\n\n"
            + TextSummary.columns(rows) { _ in false }
            + "\n\nRuns \(ids) stored in \(db); `k3sim report \(ids) --db \(db)` renders the comparison report."
    }

    /// Milestones of fault `f` in any scenario, in the order of the first run that has them.
    static func milestoneNames(_ columns: [ComparedScenario], fault f: Int) -> [MilestoneName] {
        var names: [MilestoneName] = []
        for c in columns {
            for r in c.records where f < r.faults.count {
                for m in r.faults[f].milestones where !names.contains(m.name) { names.append(m.name) }
            }
        }
        return names
    }

    static func median(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : Statistic(values).p50
    }
}

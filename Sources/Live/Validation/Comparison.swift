import Foundation
import Simulation
import Store

/// Compares a live record with simulated records of the same scenario, milestone by milestone,
/// in seconds after each fault (faults matched by index), the way the validation report does.
public enum Comparison {
    public static func compare(live: RunRecord, simulated: [RunRecord], tolerance: Double) -> [MilestoneComparison] {
        live.milestoneDelays(against: simulated).map { d in
            let stat = d.statistic
            let inside = d.observed.flatMap { o in stat.map { o >= $0.min - tolerance && o <= $0.max + tolerance } }
            return MilestoneComparison(
                faultIndex: d.fault, milestone: d.milestone.rawValue, observed: d.observed, simulated: stat, inside: inside)
        }
    }

    /// One line per milestone, for the terminal.
    public static func table(_ rows: [MilestoneComparison]) -> String {
        func s(_ v: Double?) -> String { v.map { String(format: "%.2f s", $0) } ?? "—" }
        var table = [["milestone", "observed", "sim p50", "sim p95", "sim range", "error", "verdict"]]
        for r in rows {
            let verdict = r.inside.map { $0 ? "inside" : "outside" } ?? (r.observed == nil ? "not observed" : "not simulated")
            table.append([
                "F\(r.faultIndex) \(r.milestone)", s(r.observed), s(r.simulated?.p50), s(r.simulated?.p95),
                r.simulated.map { String(format: "%.2f–%.2f s", $0.min, $0.max) } ?? "—",
                r.error.map { String(format: "%+.2f s", $0) } ?? "—", verdict,
            ])
        }
        let widths = (0..<7).map { c in table.map { $0[c].count }.max() ?? 0 }
        return table.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 || c == 6 ? cell + pad : pad + cell  // text left, numbers right
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

import Foundation
import Simulation
import Store

/// Compares a live record with simulated records of the same scenario, milestone by milestone,
/// in seconds after each fault (faults matched by index), the way the validation report does.
public enum Comparison {
    public static func compare(live: RunRecord, simulated: [RunRecord], tolerance: Double) -> [MilestoneComparison] {
        var out: [MilestoneComparison] = []
        for f in live.faults {
            var names = f.milestones.map(\.name)
            for r in simulated {
                for m in r.faults.first(where: { $0.index == f.index })?.milestones ?? [] where !names.contains(m.name) {
                    names.append(m.name)
                }
            }
            for name in names {
                let sims = simulated.compactMap { r -> Double? in
                    guard let sf = r.faults.first(where: { $0.index == f.index }), let t = sf.milestone(name) else { return nil }
                    return t - sf.at
                }
                let observed = f.milestone(name).map { $0 - f.at }
                let stat = sims.isEmpty ? nil : Statistic(sims)
                let inside = observed.flatMap { o in stat.map { o >= $0.min - tolerance && o <= $0.max + tolerance } }
                out.append(MilestoneComparison(faultIndex: f.index, milestone: name, observed: observed, simulated: stat, inside: inside))
            }
        }
        return out
    }

    /// One line per milestone, for the terminal.
    public static func table(_ rows: [MilestoneComparison]) -> String {
        func s(_ v: Double?) -> String { v.map { String(format: "%.2f s", $0) } ?? "—" }
        var lines = [String(format: "%-22@ %10@ %10@ %10@ %22@ %10@  %@", "milestone" as NSString, "observed" as NSString,
                            "sim p50" as NSString, "sim p95" as NSString, "sim range" as NSString, "error" as NSString, "verdict" as NSString)]
        for r in rows {
            let range = r.simulated.map { String(format: "%.2f–%.2f s", $0.min, $0.max) } ?? "—"
            let verdict = r.inside.map { $0 ? "inside" : "outside" } ?? (r.observed == nil ? "not observed" : "not simulated")
            lines.append(String(format: "%-22@ %10@ %10@ %10@ %22@ %10@  %@", "F\(r.faultIndex) \(r.milestone)" as NSString,
                                s(r.observed) as NSString, s(r.simulated?.p50) as NSString, s(r.simulated?.p95) as NSString,
                                range as NSString, (r.error.map { String(format: "%+.2f s", $0) } ?? "—") as NSString, verdict as NSString))
        }
        return lines.joined(separator: "\n")
    }
}

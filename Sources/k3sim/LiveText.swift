import Foundation
import Live
import Simulation
import Store

/// Terminal and JSON output of the live commands.
enum LiveText {
    static func printOutcome(_ o: DrillOutcome, runID: Int64, json: Bool, db: String) {
        if json {
            print((try? JSONSummary.encode(JSONSummary.single(o.record, runID: runID))) ?? "{}")
        } else {
            print(TextSummary.single(o.record, runID: runID, description: "live drill", db: db))
        }
        for r in o.restored { printErr("restored: \(r)") }
    }

    struct ValidationJSON: Encodable {
        struct Row: Encodable {
            let fault: Int, milestone: String, observed: Double?, simulated: Statistic?, error: Double?, inside: Bool?
        }
        let scenario: String, liveRunId: Int64, simulatedRunIds: [Int64], validationId: Int64
        let drillSucceeded: Bool, restored: [String], milestones: [Row]
    }

    static func rows(_ c: [MilestoneComparison]) -> [ValidationJSON.Row] {
        c.map {
            .init(
                fault: $0.faultIndex, milestone: $0.milestone, observed: $0.observed, simulated: $0.simulated,
                error: $0.error, inside: $0.inside)
        }
    }

    static func printValidation(_ o: ValidationOutcome, json: Bool, db: String) {
        if json {
            let doc = ValidationJSON(
                scenario: o.snapshot.name, liveRunId: o.liveRunID, simulatedRunIds: o.simulatedRunIDs,
                validationId: o.validationID, drillSucceeded: o.drill.succeeded, restored: o.drill.restored,
                milestones: rows(o.comparisons))
            print((try? JSONSummary.encode(doc)) ?? "{}")
        } else {
            print(
                "Live drill (run #\(o.liveRunID)) against \(o.simulatedRunIDs.count) simulated run(s) "
                    + "(#\(o.simulatedRunIDs.first ?? 0)–#\(o.simulatedRunIDs.last ?? 0)), seconds after the fault:")
            print(Comparison.table(o.comparisons))
            print("validation #\(o.validationID) stored in \(db); `k3sim report \(o.liveRunID)` renders it")
        }
        for r in o.drill.restored { printErr("restored: \(r)") }
    }

    /// Per milestone of fault 0: p50/p95/min/max over the simulated runs.
    static func simulatedOnly(_ sims: [RunRecord]) -> String {
        var names: [MilestoneName] = []
        for r in sims { for m in r.faults.first?.milestones ?? [] where !names.contains(m.name) { names.append(m.name) } }
        return names.map { name in
            let v = sims.compactMap { r in r.faults.first.flatMap { f in f.milestone(name).map { $0 - f.at } } }
            let s = Statistic(v)
            let padded = name.rawValue.padding(toLength: max(20, name.rawValue.count), withPad: " ", startingAt: 0)
            return "  \(padded) "
                + String(format: "p50 %7.2f s  p95 %7.2f s  range %.2f–%.2f s  (%d runs)", s.p50, s.p95, s.min, s.max, s.runs)
        }.joined(separator: "\n")
    }
}

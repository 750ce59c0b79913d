import Foundation
import Simulation
import Store

/// The human summaries: a timeline per fault with the mechanism behind each step, and
/// the availability table.
enum TextSummary {
    static func single(_ r: RunRecord, runID: Int64, description: String?, db: String) -> String {
        var out: [String] = []
        out.append("\(r.scenarioName)" + (description.map { " — \($0)" } ?? ""))
        out.append(
            "seed \(r.seed) · \(duration(r.simulatedSeconds)) simulated in \(String(format: "%.2f", r.wallSeconds)) s "
                + "(\(r.events) events) · run #\(runID) stored in \(db)")
        for f in r.faults {
            out.append("")
            out.append("Fault \(f.index): \(f.action) \(f.target) at \(duration(f.at)) (\(seconds(f.at)))")
            if f.milestones.isEmpty { out.append("  (no milestone reached)") }
            let width = f.milestones.map(\.name.rawValue.count).max() ?? 0
            for m in f.milestones {
                let delta = m.at - f.at
                out.append(
                    "  \(pad(String(format: "+%.1f s", delta), 10, left: true))  \(pad(m.name.rawValue, width))  \(m.mechanism)")
            }
            if !f.stats.isEmpty {
                out.append(
                    "  stats: "
                        + f.stats.sorted { $0.key < $1.key }.map { "\($0.key) \(number($0.value))" }.joined(separator: ", "))
            }
        }
        out.append("")
        out.append("Workloads (measured from when each first reached its desired replicas)")
        var rows = [["NAME", "KIND", "DESIRED", "AVAILABILITY", "BELOW DESIRED", "NO READY", "MIN READY"]]
        for w in r.workloads {
            rows.append([
                w.name, w.kind, "\(w.desiredReplicas)", String(format: "%.4f %%", w.availability * 100),
                seconds(w.secondsBelowDesired), seconds(w.secondsUnavailable), "\(w.minReadyReplicas)",
            ])
        }
        out.append(table(rows))
        out.append("")
        for w in r.workloads {
            if let s = w.secondsWithoutPrimary { out.append("\(w.name): \(seconds(s)) without a Ready primary") }
        }
        out.append("Pending pods at the end: \(r.pendingPodsAtEnd)")
        out += JobSummary.lines(r)
        out += AutoscalerSummary.lines(r)
        for n in r.notes { out.append("note: \(n)") }
        return out.joined(separator: "\n")
    }

    static func batch(_ records: [RunRecord], runIDs: [Int64], db: String) -> String {
        let first = records[0]
        let last = records[records.count - 1]
        var out: [String] = []
        out.append(
            "\(first.scenarioName): \(records.count) runs, seeds \(first.seed)–\(last.seed), "
                + "runs #\(runIDs[0])–#\(runIDs[runIDs.count - 1]) stored in \(db)")
        for f in first.faults.indices {
            let ff = first.faults[f]
            out.append("")
            out.append("Fault \(f): \(ff.action) \(ff.target) at \(duration(ff.at)) — seconds after the fault")
            var rows = [["MILESTONE", "RUNS", "P50", "P95", "MIN", "MAX", "MEAN"]]
            for name in JSONSummary.orderedUnion(records.map { $0.faults[f].milestones.map(\.name) }) {
                let s = Statistic(records.compactMap { r in r.faults[f].milestone(name).map { $0 - r.faults[f].at } })
                rows.append([
                    name.rawValue, "\(s.runs)", number(s.p50), number(s.p95), number(s.min), number(s.max), number(s.mean),
                ])
            }
            out.append(table(rows))
        }
        out.append("")
        var rows = [["WORKLOAD", "AVAIL P50", "AVAIL P95", "AVAIL MIN", "BELOW DESIRED P50", "BELOW DESIRED P95", "MIN READY"]]
        for w in first.workloads.indices {
            let a = Statistic(records.map { $0.workloads[w].availability })
            let b = Statistic(records.map { $0.workloads[w].secondsBelowDesired })
            let m = Statistic(records.map { Double($0.workloads[w].minReadyReplicas) })
            rows.append([
                first.workloads[w].name, pct(a.p50), pct(a.p95), pct(a.min), seconds(b.p50), seconds(b.p95), number(m.min),
            ])
        }
        out.append(table(rows))
        return out.joined(separator: "\n")
    }

    static func runList(_ rows: [StoredRunSummary]) -> String {
        guard !rows.isEmpty else { return "No runs stored yet: try `k3sim run scenarios/hetzner-k3s-ha.yaml`." }
        let f = ISO8601DateFormatter()
        var t = [["RUN", "SCENARIO", "SEED", "SOURCE", "BATCH", "CREATED", "SIMULATED", "WALL", "EVENTS"]]
        for r in rows {
            t.append([
                "\(r.id)", r.scenarioName, "\(r.seed)", r.source, r.batchID.map { "\($0)" } ?? "-",
                f.string(from: r.createdAt), duration(r.simulatedSeconds), String(format: "%.2f s", r.wallSeconds),
                "\(r.events)",
            ])
        }
        return table(t)
    }

    // MARK: formatting

    static func duration(_ s: Double) -> String {
        var rest = Int(s.rounded())
        let h = rest / 3600; rest %= 3600
        let m = rest / 60; let sec = rest % 60
        var out = ""
        if h > 0 { out += "\(h)h" }
        if m > 0 { out += "\(m)m" }
        if sec > 0 || out.isEmpty { out += "\(sec)s" }
        return out
    }
    static func seconds(_ s: Double) -> String { String(format: "%.1f s", s) }
    static func pct(_ v: Double) -> String { String(format: "%.4f %%", v * 100) }
    static func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e12 ? "\(Int(v))" : String(format: "%.1f", v) }
    static func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, n - s.count))
        return left ? fill + s : s + fill
    }
    static func table(_ rows: [[String]]) -> String {
        columns(rows) { c in !(c == 0 || c == 1 || c == rows[0].count - 1 && rows[0][c].hasPrefix("WHY")) }
    }

    /// Columns as wide as their widest cell, two spaces apart, indented by two; the columns
    /// `rightAligned` names are padded on the left (numbers), the others on the right.
    static func columns(_ rows: [[String]], rightAligned: (Int) -> Bool) -> String {
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { r in
            r.indices.map { c in pad(r[c], widths[c], left: rightAligned(c)) }.joined(separator: "  ")
        }.map { line in
            var l = "  " + line
            while l.last == " " { l.removeLast() }
            return l
        }.joined(separator: "\n")
    }
}

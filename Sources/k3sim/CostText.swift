import Costs
import Foundation

/// The human forms of `k3sim cost` and `k3sim plan`.
enum CostText {
    static func money(_ x: Double, _ currency: String) -> String { String(format: "%.2f %@", x, currency) }

    static func quantity(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e12 ? String(Int64(x)) : String(format: "%.2f", x)
    }

    static func price(_ x: Double?, _ currency: String) -> String {
        guard let x else { return "unpriced" }
        var s = String(format: "%.6f", x)
        while s.hasSuffix("0"), let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) > 3 { s.removeLast() }
        return "\(s) \(currency)"
    }

    static func nodes(_ n: [NodeCount]) -> String {
        n.map { "\($0.count)×\($0.type)\($0.role == "server" ? " (servers)" : "")" }.joined(separator: " + ")
    }

    /// A total with unpriced lines is a lower bound: "≥ 234.40 USD".
    static func total(_ o: CostOption) -> String { (o.complete ? "" : "≥ ") + money(o.monthly, o.currency) }

    static func title(_ o: CostOption) -> String {
        let what = o.origin == "plan" ? "planned, survives a \(o.survives ?? "node")" : "scenario as written"
        return "\(o.provider) \(o.distribution) \(o.region) (\(what)): \(total(o))/month"
    }

    static func option(_ o: CostOption) -> [String] {
        var out = [title(o), "  nodes: \(nodes(o.nodes))"]
        var rows = [["ITEM", "QTY", "UNIT", "UNIT PRICE", "AMOUNT", o.currency, "AS OF", "CONF."]]
        for l in o.items {
            rows.append([
                l.item, quantity(l.quantity), l.unit, price(l.unitPrice, l.currency), money(l.amount, l.currency),
                String(format: "%.2f", l.converted), l.asOf ?? "—", l.confidence ?? "—",
            ])
        }
        rows.append([
            o.complete ? "total" : "total (lower bound: unpriced lines)", "", "", "", "",
            (o.complete ? "" : "≥ ") + String(format: "%.2f", o.monthly), "", "",
        ])
        out.append(table(rows, left: [0, 2, 6, 7]))
        if let ops = o.ops {
            out.append("  ops effort (not in the total): \(money(ops.converted, o.currency))/month — \(ops.assumption)")
            if let w = o.monthlyWithOps { out.append("  total with ops effort: \(money(w, o.currency))/month") }
        }
        for u in o.unpriced { out.append("  unpriced: \(u)") }
        for n in o.notes { out.append("  note: \(n)") }
        if let b = o.behaviour { out += behaviourLines(b) }
        return out
    }

    static func render(_ r: CostReport, scenario: String) -> String {
        var out = ["\(scenario): monthly cost in \(r.currency), net of VAT/sales tax; a month is 730 h"]
        for o in r.options { out.append(""); out += option(o) }
        out.append("")
        out.append("Summary")
        let simulated = r.options.contains { $0.behaviour != nil }
        var rows = [["OPTION", "NODES", "MONTHLY"] + (simulated ? behaviourHeader : [])]
        for o in r.options {
            rows.append(
                ["\(o.provider) \(o.distribution) (\(o.origin))", nodes(o.nodes), total(o)]
                    + (simulated ? behaviourColumns(o.behaviour) : []))
        }
        out.append(table(rows, left: [0, 1, 3]))
        out += footer(fx: r.fx, catalogs: r.catalogs, notes: r.notes)
        return out.joined(separator: "\n")
    }

    static func renderPlans(_ plans: [Costs.Plan], files: [String?], notes: [String], fx: [String: FXUsed], scenario: String)
        -> String
    {
        var out = ["\(scenario): cheapest node sets"]
        for (p, f) in zip(plans, files) {
            out.append("")
            out += option(p.cost)
            out.append("  checked: \(p.candidatesSimulated) candidate sets, \(p.simulations) simulations")
            if let counted = p.autoscalersAtPeak?.summary { out.append("  \(counted)") }
            if let counted = p.jobsAtPeak?.summary { out.append("  \(counted)") }
            if let f { out.append("  scenario: \(f)") }
        }
        out += footer(fx: fx, catalogs: [:], notes: notes)
        return out.joined(separator: "\n")
    }

    static func footer(fx: [String: FXUsed], catalogs: [String: String], notes: [String]) -> [String] {
        var out: [String] = []
        for (k, r) in fx.sorted(by: { $0.key < $1.key }) {
            out.append("FX: 1 \(k.prefix(3)) = \(r.rate) \(k.suffix(3)) (\(r.date)\(r.source.map { ", \($0)" } ?? ""))")
        }
        if !catalogs.isEmpty {
            out.append(
                "Catalogs as of: " + catalogs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        for n in notes { out.append("note: \(n)") }
        return out
    }

    static func table(_ rows: [[String]], left: Set<Int>) -> String {
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { r in
            var line =
                "  "
                + r.indices.map { c in
                    let fill = String(repeating: " ", count: max(0, widths[c] - r[c].count))
                    return left.contains(c) ? r[c] + fill : fill + r[c]
                }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// The machines split by namespace or workload, largest first, idle last.
    static func allocation(_ a: CostAllocationReport) -> String {
        var rows = [[a.by.uppercased(), "CPU", "MEMORY", "MONTHLY", "SHARE"]]
        func share(_ x: Double) -> String { a.machines > 0 ? String(format: "%.1f %%", x / a.machines * 100) : "—" }
        for r in a.rows {
            rows.append([
                r.name, String(format: "%.2f", r.cpuCores), String(format: "%.2f GiB", r.memoryGiB),
                money(r.monthly, a.currency), share(r.monthly),
            ])
        }
        rows.append(["(idle: requested by no pod)", "", "", money(a.idle, a.currency), share(a.idle)])
        return
            "Machines by \(a.by) (\(money(a.machines, a.currency)) a month, split by requests as OpenCost does; volumes, network and services not allocated)\n"
            + TextSummary.columns(rows) { $0 > 0 } + a.notes.map { "\nNote: \($0)" }.joined()
    }
}

import Simulation
import Store

/// The costs stored with a run, as the report builder read them from the store.
///
/// Reports never price anything: what they show is what `k3sim run` stored beside the run.
enum RunCosts: Sendable, Equatable {
    /// The options stored with the run, in the order saved; empty when none was stored (a run
    /// stored before costs were, a live run, or a scenario without priced machines).
    case stored([StoredCostOption])
    /// The store could not read them; the message says why.
    case unreadable(String)

    static let none = RunCosts.stored([])

    /// The option a report leads with: the scenario's own platform, else the first stored.
    var primary: StoredCostOption? {
        guard case .stored(let options) = self else { return nil }
        return options.first { $0.origin == "scenario" } ?? options.first
    }
}

/// The cost parts of the reports: the at-a-glance line, the itemised section of a run (or a
/// batch), and the per-category figures the comparison puts side by side.
enum CostSection {
    /// Categories in the order they are stacked and listed (the Costs module's categories);
    /// any other category follows in first-seen order.
    static let categoryOrder = ["compute", "control-plane", "storage", "network", "services", "credit"]

    /// Each category's fill: its own hatch as well as its own colour, so a stacked column can be
    /// read without telling colours apart.
    static let categoryStyles: [GanttCategory] = [
        GanttCategory("compute", .neutral),
        GanttCategory("control-plane", FillStyle(tint: "#f0d5e6", stroke: Palette.purple, hatch: .vertical)),
        GanttCategory("storage", FillStyle(tint: "#bfe5d8", stroke: Palette.green, hatch: .dots)),
        GanttCategory("network", FillStyle(tint: "#fbe6b9", stroke: Palette.orange, hatch: .diagonal)),
        GanttCategory("services", FillStyle(tint: "#f6cdb6", stroke: Palette.vermillion, hatch: .crosshatch)),
        GanttCategory("credit", FillStyle(tint: "#d9ecf8", stroke: Palette.sky, hatch: .horizontal)),
    ]

    /// What a report says for a run without a stored cost, and what to do about it.
    ///
    /// Usually "no cost stored for this run". A run whose recorded nodes all lack a server type was
    /// made from explicit nodes, which `k3sim run` does not price (there is no machine to look up);
    /// running it again would not help, so the report says that instead.
    static func missing(_ record: RunRecord) -> (what: String, todo: RichText) {
        if record.source == "live" {
            return ("no cost stored for this live run", "price its platform with " + .code("k3sim cost SCENARIO"))
        }
        if let nodes = record.topology?.nodes, !nodes.isEmpty, nodes.allSatisfy({ $0.instanceType == nil }) {
            return (
                "no cost stored for this run",
                "its nodes are given explicitly, without a server type to price; give the "
                    + "scenario node pools (or control-plane servers) to have " + .code("k3sim run") + " price it"
            )
        }
        return ("no cost stored for this run", "run it again with this version, or use " + .code("k3sim cost SCENARIO"))
    }

    // MARK: at a glance

    /// The run's monthly cost and what it is made of, in one sentence.
    ///
    /// "Monthly cost: **121.24 EUR** (hetzner k3s eu-central: 3 × server cax21 (control plane) +
    /// 4 × server cax31; 1 unpriced item)."
    static func glance(_ costs: RunCosts, record: RunRecord) -> RichText {
        switch costs {
        case .unreadable(let message):
            return RichText("Monthly cost: the cost stored with this run could not be read (\(message)).")
        case .stored:
            guard let o = costs.primary else {
                let m = missing(record)
                return "Monthly cost: \(m.what): " + m.todo + "."
            }
            var details = ["\(o.provider) \(o.distribution) \(o.region)"]
            let machines = o.items.filter { $0.unit == "machine-month" && $0.quantity > 0 }
                .map { "\(Fmt.trimmed($0.quantity)) × \($0.item)" }
            if !machines.isEmpty { details[0] += ": " + machines.joined(separator: " + ") }
            let unpriced = o.items.filter { $0.unitPrice == nil }.count
            if unpriced > 0 { details.append(Fmt.count(unpriced, "unpriced item")) }
            return RichText("Monthly cost: ") + .strong(total(o)) + " (\(details.joined(separator: "; "))); itemised under Cost."
        }
    }

    // MARK: the itemised section

    /// The Cost section of a run (or of a batch, whose first run `run` is): each stored option
    /// with its total, per-category subtotals, its lines and their sources.
    static func blocks(_ costs: RunCosts, run: StoredRun, batch: Bool = false) -> [ReportBlock] {
        switch costs {
        case .unreadable(let message):
            return [
                .notice(
                    title: "Cost not readable",
                    text: RichText("the cost stored with run #\(run.id) could not be read: \(message)."))
            ]
        case .stored(let options):
            guard !options.isEmpty else {
                let m = missing(run.record)
                return [.notice(title: m.what.prefix(1).uppercased() + m.what.dropFirst(), text: m.todo + ".")]
            }
            var blocks: [ReportBlock] = []
            for o in options {
                if options.count > 1 { blocks.append(.heading(optionTitle(o))) }
                blocks.append(.facts(facts(o, run: run, batch: batch)))
                blocks += itemBlocks(o)
            }
            return blocks
        }
    }

    static func optionTitle(_ o: StoredCostOption) -> String {
        "\(o.provider) \(o.distribution) \(o.region) (\(o.origin == "scenario" ? "the scenario's platform" : o.origin))"
    }

    static func facts(_ o: StoredCostOption, run: StoredRun, batch: Bool) -> [(String, RichText)] {
        var out: [(String, RichText)] = [
            ("Monthly total", .strong(total(o))),
            (
                "Platform",
                RichText(
                    "\(o.provider) \(o.distribution) \(o.region), "
                        + (o.origin == "scenario" ? "the scenario's machines as written" : "origin \(o.origin)"))
            ),
        ]
        let subtotals = byCategory(o)
        if !subtotals.isEmpty {
            out.append(
                (
                    "By category",
                    RichText(
                        subtotals.map { "\($0.category) \(Fmt.money($0.amount, o.currency))" }
                            .joined(separator: " · "))
                ))
        }
        let unpriced = o.items.filter { $0.unitPrice == nil }
        if !unpriced.isEmpty {
            out.append(
                (
                    "Unpriced",
                    RichText(
                        "\(Fmt.count(unpriced.count, "item")) the catalog has no price for, not in the total: "
                            + unpriced.map(\.item).joined(separator: "; ") + " (add a price with ")
                        + .code("k3sim cost SCENARIO --catalog FILE") + ")"
                ))
        }
        let when =
            batch
            ? "when run #\(run.id), the batch's first, was stored (every run of the batch has this platform)"
            : "when run #\(run.id) was stored"
        out.append(
            (
                "Priced",
                RichText("\(when), by k3sim \(run.k3simVersion) from its price catalogs; ")
                    + .code("k3sim cost SCENARIO") + " prices it with today's catalogs and compares providers"
            ))
        return out
    }

    /// The lines as a table, and the list of their sources (numbered, each once).
    ///
    /// Categories are in the subtotals above the table (and in the comparison), not in a column of
    /// it.
    ///
    /// Quantity carries its unit ("3 machine-month", "1.95 × 1,000 requests"); an amount in another
    /// currency than the total's shows both ("2.00 USD → 1.73 EUR"), so the table keeps within the
    /// page; an unpriced line says so in its price and amount, never 0.
    static func itemBlocks(_ o: StoredCostOption) -> [ReportBlock] {
        guard !o.items.isEmpty else { return [.paragraph("No cost lines were stored with this total.")] }
        let converts = o.items.contains { $0.currency != o.currency }
        var sources: [String] = []
        var rows: [[RichText]] = o.items.map { l in
            var sourceRef = "—"
            if let s = l.source, !s.isEmpty {
                let shown = displaySource(s)
                if !sources.contains(shown) { sources.append(shown) }
                sourceRef = "[\((sources.firstIndex(of: shown) ?? 0) + 1)]"
            }
            let amount: String
            if l.unitPrice == nil {
                amount = "unpriced"
            } else if l.currency != o.currency {
                amount = Fmt.money(l.amount, l.currency) + " → " + Fmt.money(l.converted, o.currency)
            } else {
                amount = Fmt.money(l.converted, o.currency)
            }
            return [
                RichText(l.item), RichText(quantity(l)), RichText(Fmt.unitPrice(l.unitPrice, l.currency)),
                RichText(amount), RichText(l.asOf ?? "—"), RichText(l.confidence ?? "—"), RichText(sourceRef),
            ]
        }
        rows.append([.strong("total"), "", "", .strong(total(o)), "", "", ""])
        let caption =
            "The lines stored with the run, as k3sim cost priced them"
            + (converts ? "; an amount in another currency is converted to \(o.currency) for the total" : "")
            + ". An unpriced line has no price in the catalog and is not in the total."
        var blocks: [ReportBlock] = [
            .table(
                ReportTable(
                    header: ["item", "quantity", "unit price", "amount", "as of", "confidence", "source"],
                    rows: rows, numeric: [1, 2, 3], caption: caption))
        ]
        if !sources.isEmpty {
            blocks.append(.paragraph("Sources of the prices:"))
            blocks.append(.list(sources.enumerated().map { RichText("[\($0.offset + 1)] \($0.element)") }))
        }
        return blocks
    }

    /// "3 machine-month", "17 GB-month", "1.95 × 1,000 requests" (a unit that starts with a
    /// number needs the ×).
    static func quantity(_ l: StoredCostItem) -> String {
        let q = Fmt.trimmed(l.quantity)
        guard !l.unit.isEmpty else { return q }
        return q + (l.unit.first?.isNumber == true ? " × " : " ") + l.unit
    }

    /// A source as shown: without "https://" and "http://", which name a page, not a link the
    /// report follows (the HTML reports reference nothing on the network, not even as text).
    static func displaySource(_ s: String) -> String {
        s.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
    }

    // MARK: per category

    /// Subtotals per category in the option's currency (the lines' converted amounts), in
    /// `categoryOrder`, other categories after them; categories whose lines are all unpriced
    /// or zero are left out.
    static func byCategory(_ o: StoredCostOption) -> [(category: String, amount: Double)] {
        var names: [String] = []
        var sums: [String: Double] = [:]
        for l in o.items where l.unitPrice != nil && l.converted != 0 {
            if sums[l.category] == nil { names.append(l.category) }
            sums[l.category, default: 0] += l.converted
        }
        let ordered = categoryOrder.filter { sums[$0] != nil } + names.filter { !categoryOrder.contains($0) }
        return ordered.map { ($0, ((sums[$0] ?? 0) * 100).rounded() / 100) }
    }

    /// A total with unpriced lines is a lower bound, and says so: "≥ 97.17 EUR".
    static func total(_ o: StoredCostOption) -> String {
        (o.items.contains { $0.unitPrice == nil } ? "≥ " : "") + Fmt.money(o.monthly, o.currency)
    }

    // MARK: comparison

    /// The comparison's cost cell of one run: its monthly total, or why there is none.
    static func comparisonCell(_ costs: RunCosts) -> RichText {
        switch costs {
        case .unreadable: return "not readable"
        case .stored:
            guard let o = costs.primary else { return "no cost stored" }
            let unpriced = o.items.filter { $0.unitPrice == nil }.count
            return RichText.strong(total(o)) + (unpriced > 0 ? " (\(Fmt.count(unpriced, "unpriced item")))" : "")
        }
    }

    /// The comparison's Cost section: a table of category × run and a stacked column chart per
    /// currency (amounts in different currencies are never converted here, nor drawn on one axis).
    static func comparison(_ runs: [StoredRun], costs: [RunCosts], header: [String]) -> [ReportBlock] {
        let primaries = costs.map(\.primary)
        guard primaries.contains(where: { $0 != nil }) else {
            return [
                .notice(
                    title: "No cost stored",
                    text: "none of these runs has a stored cost: run them again with "
                        + "this version, or use " + .code("k3sim cost SCENARIO") + ".")
            ]
        }
        let subtotals = primaries.map { $0.map(byCategory) ?? [] }
        var categories = categoryOrder.filter { c in subtotals.contains { $0.contains { $0.category == c } } }
        for s in subtotals { for c in s.map(\.category) where !categories.contains(c) { categories.append(c) } }
        var rows: [[RichText]] = categories.map { c in
            [RichText(c)]
                + runs.indices.map { i in
                    guard let o = primaries[i] else { return "—" }
                    return RichText(subtotals[i].first { $0.category == c }.map { Fmt.money($0.amount, o.currency) } ?? "—")
                }
        }
        rows.append([.strong("monthly total")] + costs.map(comparisonCell))
        var blocks: [ReportBlock] = [
            .table(
                ReportTable(
                    header: header, rows: rows, numeric: Set(1...max(1, runs.count)),
                    caption: "Monthly cost per category of each run's platform, as stored with the run; — where the run has none."
                ))
        ]
        var currencies: [String] = []
        for o in primaries.compactMap({ $0 }) where !currencies.contains(o.currency) { currencies.append(o.currency) }
        for currency in currencies {
            let id = currencies.count == 1 ? "comparison-cost" : "comparison-cost-\(currency.lowercased())"
            blocks.append(.chart(costChart(runs, costs: costs, subtotals: subtotals, currency: currency, id: id)))
            if let chart = costAvailabilityChart(runs, costs: costs, currency: currency, id: id + "-availability") {
                blocks.append(.chart(chart))
            }
        }
        return blocks
    }

    /// Each run's monthly cost against its lowest workload availability, one point per run (a
    /// platform option run under the same faults), when at least two runs are priced in
    /// `currency`: the cheaper point lower down is what the saving costs in availability.
    static func costAvailabilityChart(_ runs: [StoredRun], costs: [RunCosts], currency: String, id: String) -> ReportChart? {
        var points: [ScatterPoint] = [], summary: [RichText] = []
        for (run, cost) in zip(runs, costs) {
            guard let o = cost.primary, o.currency == currency,
                let lowest = run.record.workloads.map(\.availability).min()
            else { continue }
            let label = "#\(run.id) \(run.record.scenarioName)"
            points.append(ScatterPoint(label: label, x: o.monthly, y: lowest * 100))
            summary.append(RichText("\(label): \(total(o)) a month, lowest availability \(Fmt.percent(lowest))."))
        }
        guard points.count >= 2 else { return nil }
        let ys = points.map(\.y), xs = points.map(\.x)
        let y = Axis.nice(
            title: "lowest workload availability", lower: max(0, min((ys.min() ?? 99) - 0.5, 99)), upper: 100, suffix: " %")
        let x = Axis.nice(title: "\(currency) per month", lower: 0, upper: max(xs.max() ?? 1, 1))
        let chart = ScatterChart(
            id: id, kind: "cost-availability", title: "Monthly cost against availability per run (\(currency))",
            description: summary.map(\.plain).joined(separator: " "), x: x, y: y, points: points)
        return ReportChart(
            id: id, kind: "cost-availability",
            caption: "Monthly cost against the lowest workload availability, one point per run (\(currency))",
            svg: chart.render(), summary: summary)
    }

    static func costChart(
        _ runs: [StoredRun], costs: [RunCosts], subtotals: [[(category: String, amount: Double)]],
        currency: String, id: String
    ) -> ReportChart {
        var summary: [RichText] = []
        let columns = runs.indices.map { i -> StackedColumn in
            let label = "#\(runs[i].id)", sub = runs[i].record.scenarioName
            guard let o = costs[i].primary else {
                let why: String
                if case .unreadable = costs[i] { why = "not readable" } else { why = "no cost stored" }
                summary.append(RichText("#\(runs[i].id) \(sub): \(why)."))
                return StackedColumn(label: label, sublabel: sub, segments: [], missing: why)
            }
            guard o.currency == currency else {
                summary.append(RichText("#\(runs[i].id) \(sub): priced in \(o.currency), drawn in the \(o.currency) chart."))
                return StackedColumn(label: label, sublabel: sub, segments: [], missing: "in \(o.currency)")
            }
            let parts = subtotals[i].map { "\($0.category) \(Fmt.money($0.amount, currency))" }.joined(separator: ", ")
            summary.append(
                RichText.strong("#\(runs[i].id) \(sub): \(Fmt.money(o.monthly, currency))")
                    + (parts.isEmpty ? "." : " — \(parts)."))
            return StackedColumn(
                label: label, sublabel: sub,
                segments: subtotals[i].map { StackedSegment(category: $0.category, value: $0.amount) },
                total: Fmt.money(o.monthly, currency))
        }
        let chart = StackedColumnChart(
            id: id, kind: "cost-by-category", title: "Monthly cost by category per run (\(currency))",
            description: summary.map(\.plain).joined(separator: " "), valueTitle: "\(currency) per month",
            categories: categoryStyles, columns: columns)
        return ReportChart(
            id: id, kind: "cost-by-category", caption: "Monthly cost by category, one column per run (\(currency))",
            svg: chart.render(), summary: summary)
    }
}

import ArgumentParser
import Catalog
import Costs
import Foundation

/// `k3sim cost diff A B`: the two scenarios' own platforms, priced as `k3sim cost` prices them,
/// and what changes per item.
struct CostDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost-diff",
        abstract: "What changes in money, per item, between two scenarios' platforms (as written); also `k3sim cost diff A B`.")

    /// `cost diff A B` reads as `cost-diff A B`: `cost` takes a scenario as its first
    /// argument, so a subcommand of it could not be told from a scenario named "diff".
    static func rewritten(_ args: [String]) -> [String] {
        guard args.count >= 2, args[0] == "cost", args[1] == "diff" else { return args }
        return ["cost-diff"] + args.dropFirst(2)
    }

    @Argument(help: "The scenario before (YAML).") var before: String
    @Argument(help: "The scenario after (YAML).") var after: String
    @Option(help: "Report currency: EUR or USD (default: the first scenario's).") var currency: String?
    @Option(help: "A price catalog (YAML or JSON) that overrides or adds prices, types and exchange rates.") var catalog: String?
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() throws {
        let given = (currency.map { ["--currency", $0] } ?? []) + (catalog.map { ["--catalog", $0] } ?? [])
        let (la, cat, ra) = try PlatformOptions.parse(given).load(before)
        // Both sides in the first one's currency.
        let (lb, _, rb) = try PlatformOptions.parse(["--currency", ra.currency] + (catalog.map { ["--catalog", $0] } ?? [])).load(
            after)
        let diff: CostDiff
        do {
            var fx: [String: FXUsed] = [:]
            let a = try CostCalculator.estimate(Comparison.ownInput(ra), catalog: cat, currency: ra.currency, fx: &fx)
            let b = try CostCalculator.estimate(Comparison.ownInput(rb), catalog: cat, currency: rb.currency, fx: &fx)
            diff = try CostDiff(a: a, named: la.name, b: b, named: lb.name)
        } catch let e as CostError {
            throw CLIError.failure(e.message)
        }
        print(json ? try JSONSummary.encode(diff) : Self.render(diff))
    }

    static func render(_ d: CostDiff) -> String {
        func amount(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "—" }
        func side(_ s: CostDiff.Side) -> String { (s.complete ? "" : "≥ ") + CostText.money(s.monthly, d.currency) }
        var out = ["\(d.a.scenario) → \(d.b.scenario): monthly cost in \(d.currency), net of VAT/sales tax"]
        var rows = [["ITEM", "CATEGORY", "BEFORE", "AFTER", "CHANGE"]]
        for i in d.items {
            rows.append([i.item, i.category, amount(i.a), amount(i.b), i.priced ? String(format: "%+.2f", i.change) : "unpriced"])
        }
        rows.append(["total", "", side(d.a), side(d.b), String(format: "%+.2f", d.change)])
        out.append(CostText.table(rows, left: [0, 1]))
        if !(d.a.complete && d.b.complete) {
            out.append("note: a total with unpriced lines is a lower bound, and so is its change.")
        }
        return out.joined(separator: "\n")
    }
}

/// The `--max-monthly` budget for CI.
///
/// Exit code 3 when a checked option costs more (a lower bound above the budget is over it too); a
/// lower bound within it cannot be confirmed and is said so on stderr.
enum Budget {
    static let overBudgetExitCode: Int32 = 3

    static func check(_ options: [CostOption], max: Double?) throws {
        guard let max else { return }
        var over: [String] = [], unsure: [String] = []
        for o in options {
            let name = "\(o.provider) \(o.distribution) (\(o.origin))"
            if o.monthly > max { over.append("\(name) \(CostText.total(o))") } else if !o.complete { unsure.append(name) }
        }
        let limit = String(format: "%.2f", max)
        if !unsure.isEmpty {
            FileHandle.standardError.write(
                Data(
                    "warning: within --max-monthly \(limit) only as far as priced: \(unsure.joined(separator: ", ")) has unpriced lines\n"
                        .utf8))
        }
        if !over.isEmpty {
            throw CLIError(
                message: "over budget: \(over.joined(separator: ", ")) exceeds --max-monthly \(limit) \(options[0].currency)",
                code: overBudgetExitCode)
        }
    }
}

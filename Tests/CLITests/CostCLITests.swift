import Foundation
import Testing

/// `k3sim cost` and `k3sim plan` as a user meets them: exit codes, JSON, emitted scenarios.
@Suite(.serialized)
struct CostCLITests {
    let cli = CLITests()
    var reference: String { CLITests.packageRoot.appendingPathComponent("scenarios/hetzner-k3s-ha.yaml").path }

    @Test func costJSONAddsUp() throws {
        let r = try cli.k3sim(["cost", reference, "--providers", "hetzner,eks", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["currency"] as? String == "EUR")
        let options = try #require(doc["options"] as? [[String: Any]])
        #expect(options.map { $0["provider"] as? String } == ["hetzner", "hetzner", "aws"])
        // 3 · 7.99 + 4 · 15.99 + 3.50 + 2.31 (services) + 3.43 (60 GB of volumes · 0.0572)
        #expect(options.first?["monthly"] as? Double == 97.17)
        #expect(options.first?["complete"] as? Bool == false)  // S3 PUT requests are unpriced
        #expect(options[1]["monthly"] as? Double == 173.68)  // 3 · 19.49 + 3 · 35.49 + 3.00 + 2.31 + 3.43
        for o in options {
            let items = try #require(o["items"] as? [[String: Any]])
            let cents = items.reduce(0) { $0 + Int((($1["converted"] as? Double ?? 0) * 100).rounded()) }
            #expect(Double(cents) / 100 == o["monthly"] as? Double)
        }
        let fx = try #require(doc["fx"] as? [String: Any])
        #expect(fx["EURUSD"] != nil)
    }

    /// Text marks a lower bound, and names the catalogs older than 90 days on the day given.
    @Test func lowerBoundsAndOldCatalogsInText() throws {
        let r = try cli.k3sim(["cost", reference, "--providers", "hetzner"], environment: ["K3SIM_TODAY": "2026-09-10"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("(scenario as written): ≥ 97.17 EUR/month"))
        #expect(r.stdout.contains("total (lower bound: unpriced lines)"))
        // The Hetzner catalog is of 2026-09-04: 6 days old on 2026-09-10, 94 on 2026-12-07.
        #expect(!r.stdout.contains("Catalogs older than"))
        let later = try cli.k3sim(["cost", reference, "--providers", "hetzner"], environment: ["K3SIM_TODAY": "2026-12-07"])
        #expect(
            later.stdout.contains(
                "note: Catalogs older than 90 days on 2026-12-07: hetzner (2026-09-04); prices may have changed"))
    }

    /// `--max-monthly`: the reference as written costs ≥ 97.17 EUR: over 90 (exit 3), within
    /// 100 only as far as priced (exit 0, a warning).
    @Test func maxMonthlyIsABudgetForCI() throws {
        let over = try cli.k3sim(["cost", reference, "--providers", "hetzner", "--max-monthly", "90"])
        #expect(over.code == 3)
        #expect(over.stderr.hasPrefix("over budget: hetzner k3s (scenario) ≥ 97.17 EUR exceeds --max-monthly 90.00 EUR"))
        let within = try cli.k3sim(["cost", reference, "--providers", "hetzner", "--max-monthly", "100"])
        #expect(within.code == 0)
        #expect(within.stderr.contains("only as far as priced"))
    }

    /// `k3sim cost diff A B` on the reference against itself: nothing changes but the unknown.
    @Test func costDiffOfAScenarioWithItself() throws {
        let r = try cli.k3sim(["cost", "diff", reference, reference, "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["change"] as? Double == 0)
        let items = try #require(doc["items"] as? [[String: Any]])
        #expect(items.map { $0["item"] as? String } == ["S3 PUT requests (WAL segments)"])
        #expect(try cli.k3sim(["cost", "diff", reference]).code == 2)
    }

    @Test func aBadCatalogIsBadInputWithItsPosition() throws {
        let dir = try cli.tempDir()
        let path = dir.appendingPathComponent("prices.yaml").path
        try "apiVersion: k3sim/v1alpha1\nkind: PriceCatalog\nproviders:\n  - provider: hetzner\n    itemz: []\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let r = try cli.k3sim(["cost", reference, "--catalog", path])
        #expect(r.code == 2)
        #expect(r.stderr.hasPrefix("\(path):5:5: providers[0].itemz: unknown field \"itemz\""), "\(r.stderr)")
        let bad = try cli.k3sim(["plan", reference, "--providers", "azure"])
        #expect(bad.code == 2)
        #expect(bad.stderr.contains("\"azure\" is not a provider"))
    }

    @Test func planEmitsScenariosThatRun() throws {
        let dir = try cli.tempDir()
        let r = try cli.k3sim(["plan", reference, "--providers", "lke", "--emit", dir.path, "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let plans = try #require(doc["plans"] as? [[String: Any]])
        let file = try #require(plans.first?["scenario"] as? String)
        #expect(file == dir.appendingPathComponent("lke.yaml").path)
        #expect(plans.first?["survives"] as? String == "node")
        let run = try cli.k3sim(["run", file, "--db", dir.appendingPathComponent("r.sqlite").path])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Pending pods at the end: 0"))
        #expect(run.stdout.contains("Monthly cost:"))
    }
}

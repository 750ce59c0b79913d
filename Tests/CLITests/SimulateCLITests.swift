import Foundation
import Testing

/// `cost --simulate N` and `plan --simulate N`: behaviour beside the price.
@Suite(.serialized)
struct SimulateCLITests {
    let cli = CLITests()
    var reference: String { CLITests.packageRoot.appendingPathComponent("scenarios/hetzner-k3s-ha.yaml").path }
    var nodeCrash: String { CLITests.packageRoot.appendingPathComponent("scenarios/node-crash.yaml").path }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The scenario as written runs unchanged: its behaviour is what `k3sim run --runs 2` reports
    /// for the same seeds, figure for figure. The planned option meets the same faults on its
    /// own nodes (agents-2, the third agent, is the plan's third agent).
    @Test func scenarioOptionIsTheRunItself() throws {
        let dir = try cli.tempDir()
        let cost = try cli.k3sim(["cost", reference, "--providers", "hetzner", "--simulate", "2", "--json"])
        #expect(cost.code == 0, "\(cost.stderr)")
        let options = try #require(try Self.json(cost.stdout)["options"] as? [[String: Any]])
        let own = try #require(options.first { $0["origin"] as? String == "scenario" }?["behaviour"] as? [String: Any])
        let run = try Self.json(
            try cli.k3sim(
                ["run", reference, "--runs", "2", "--json"],
                environment: ["K3SIM_DB": dir.appendingPathComponent("r.sqlite").path]
            ).stdout)
        #expect(own["runs"] as? Int == 2)
        #expect(own["seeds"] as? [Int] == run["seeds"] as? [Int])
        let mine = try #require(own["workloads"] as? [[String: Any]])
        let theirs = try #require(run["workloads"] as? [[String: Any]])
        #expect(mine.map { $0["name"] as? String } == theirs.map { $0["name"] as? String })
        for (m, t) in zip(mine, theirs) {
            for key in ["availability", "secondsBelowDesired", "secondsUnavailable"] {
                #expect((m[key] as? [String: Double]) == (t[key] as? [String: Double]), "\(m["name"] ?? "") \(key)")
            }
        }
        #expect((own["pendingPodsAtEnd"] as? [String: Double]) == (run["pendingPodsAtEnd"] as? [String: Double]))
        let writes = (run["controlPlane"] as? [String: Any])?["writeUnavailableSeconds"] as? [String: Double]
        #expect((own["writeUnavailableSeconds"] as? [String: Double]) == writes)
        let plan = try #require(options.first { $0["origin"] as? String == "plan" }?["behaviour"] as? [String: Any])
        #expect((plan["faults"] as? [String])?.first == "crash node/workers-2 at 600 s")
    }

    @Test func textSummaryAndPlan() throws {
        let text = try cli.k3sim(["cost", nodeCrash, "--providers", "hetzner", "--simulate", "2"])
        #expect(text.code == 0, "\(text.stderr)")
        #expect(text.stdout.contains("WORST WORKLOAD  AVAIL p50  AVAIL min  BELOW DESIRED p95"))
        #expect(text.stdout.contains("behaviour (2 runs of the scenario's faults: crash node/workers-1 at 300 s)"))
        #expect(text.stdout.contains("node auto-repair"))
        let plan = try cli.k3sim(["plan", nodeCrash, "--providers", "hetzner", "--simulate", "2", "--json"])
        #expect(plan.code == 0, "\(plan.stderr)")
        let plans = try #require(try Self.json(plan.stdout)["plans"] as? [[String: Any]])
        let b = try #require(plans.first?["behaviour"] as? [String: Any])
        #expect(b["runs"] as? Int == 2)
        #expect((b["workloads"] as? [[String: Any]])?.first?["name"] as? String == "default/web")
        let zero = try cli.k3sim(["cost", nodeCrash, "--simulate", "0"])
        #expect(zero.code == 2)
        #expect(zero.stderr == "--simulate: must be at least 1 (runs per option)\n")
    }
}

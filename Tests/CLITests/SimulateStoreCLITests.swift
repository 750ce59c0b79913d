import Foundation
import Store
import Testing

/// `cost --simulate N --db FILE` and `plan --simulate N --db FILE`: each option's runs stored as
/// a batch with the option's cost, reading back to the figures the JSON printed.
@Suite(.serialized)
struct SimulateStoreCLITests {
    let cli = CLITests()
    var reference: String { CLITests.packageRoot.appendingPathComponent("scenarios/hetzner-k3s-ha.yaml").path }

    /// Percentile p of three values by linear interpolation between order statistics (type 7):
    /// position p · (3 − 1) in the sorted values.
    static func type7(_ v: [Double], _ p: Double) -> Double {
        let x = p * 2, i = Int(x)
        return i + 1 < 3 ? v[i] + (v[i + 1] - v[i]) * (x - Double(i)) : v[i]
    }

    /// The parts of `cost --json` read back here. JSONDecoder rather than JSONSerialization:
    /// the figures are compared to the stored doubles bit for bit.
    struct Printed: Decodable {
        struct Statistic: Decodable { let min: Double, max: Double, p50: Double, p95: Double }
        struct Workload: Decodable { let name: String, availability: Statistic }
        struct Behaviour: Decodable { let runIDs: [Int64], seeds: [UInt64], workloads: [Workload] }
        struct Item: Decodable { let item: String }
        struct Option: Decodable {
            let provider: String, origin: String, monthly: Double, items: [Item], behaviour: Behaviour
        }
        let options: [Option]
        let notes: [String]
    }

    /// Three stored runs per option: the seeds, and each workload's min, p50 (the middle one),
    /// p95 (v[1] + 0.9 · (v[2] − v[1])) and max of the stored availabilities are the printed
    /// ones; every run carries the option's cost (provider, origin, total, lines) as printed.
    @Test func storedRunsReadBackToThePrintedFigures() throws {
        let db = try cli.tempDir().appendingPathComponent("s.sqlite").path
        let r = try cli.k3sim(["cost", reference, "--providers", "hetzner,gcp", "--simulate", "3", "--db", db, "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let doc = try JSONDecoder().decode(Printed.self, from: Data(r.stdout.utf8))
        #expect(doc.options.count >= 2)
        let store = try ResultStore(path: db)
        var allIDs: [Int64] = []
        for o in doc.options {
            let ids = o.behaviour.runIDs
            #expect(ids.count == 3)
            allIDs += ids
            let runs = try ids.map { try #require(try store.run(id: $0)) }
            // One batch, named after its first run, as `run --runs 3` stores it.
            #expect(runs.map(\.batchID) == [ids[0], ids[0], ids[0]])
            #expect(runs.map(\.record.seed) == o.behaviour.seeds)
            for w in o.behaviour.workloads {
                let stored = runs.compactMap { $0.record.workloads.first { $0.name == w.name }?.availability }.sorted()
                #expect(stored.count == 3, "\(w.name)")
                guard stored.count == 3 else { continue }
                #expect(w.availability.min == stored[0] && w.availability.p50 == stored[1], "\(w.name)")
                #expect(w.availability.max == stored[2], "\(w.name)")
                #expect(abs(w.availability.p95 - Self.type7(stored, 0.95)) < 1e-12, "\(w.name)")
            }
            for run in runs {
                let cost = try store.costs(runID: run.id)
                #expect(cost.count == 1)
                #expect(cost.first?.provider == o.provider && cost.first?.origin == o.origin)
                #expect(cost.first?.monthly == o.monthly)
                #expect(cost.first?.items.map(\.item) == o.items.map(\.item))
            }
        }
        // The planned option's runs are stored under their own scenario name.
        let gcp = try #require(doc.options.first { $0.provider == "gcp" })
        #expect(try store.run(id: gcp.behaviour.runIDs[0])?.scenarioName == "hetzner-k3s-ha on gcp gke")
        #expect(Set(allIDs).count == allIDs.count)
        #expect(doc.notes.contains { $0.hasPrefix("Simulated runs stored in \(db): hetzner k3s #") })
    }

    /// The comparison report of the stored runs draws the cost-against-availability chart.
    @Test func reportDrawsCostAgainstAvailability() throws {
        let dir = try cli.tempDir()
        let db = dir.appendingPathComponent("s.sqlite").path
        let plan = try cli.k3sim(["plan", reference, "--providers", "gcp,linode", "--simulate", "2", "--db", db, "--json"])
        #expect(plan.code == 0, "\(plan.stderr)")
        let plans = try #require(try SimulateCLITests.json(plan.stdout)["plans"] as? [[String: Any]])
        let ids = plans.flatMap { (($0["behaviour"] as? [String: Any])?["runIDs"] as? [Int]) ?? [] }
        #expect(ids.count == 2 * plans.count)
        let out = dir.appendingPathComponent("reports").path
        let report = try cli.k3sim(["report"] + ids.map(String.init) + ["--db", db, "--out", out, "--format", "md"])
        #expect(report.code == 0, "\(report.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix("comparison") }
        let md = try String(contentsOfFile: (out as NSString).appendingPathComponent(try #require(files.first)), encoding: .utf8)
        #expect(md.contains("Monthly cost against the lowest workload availability"))
        #expect(md.contains("hetzner-k3s-ha on gcp gke") && md.contains("hetzner-k3s-ha on linode lke"))
    }

    /// Without --simulate there is nothing to store.
    @Test func dbWithoutSimulateIsAUserError() throws {
        let r = try cli.k3sim(["cost", reference, "--db", "x.sqlite"])
        #expect(r.code == 2)
        #expect(r.stderr == "--db: only with --simulate N (the simulated runs are what is stored)\n")
    }
}

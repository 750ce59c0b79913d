import Foundation
import Testing

/// `k3sim compare` on the shipped platform drill: the same crash and control-plane upgrade on
/// K3S on Hetzner, zonal GKE and regional GKE, side by side.
@Suite(.serialized)
struct CompareCLITests {
    let cli = CLITests()
    func scenario(_ name: String) -> String {
        CLITests.packageRoot.appendingPathComponent("scenarios/\(name).yaml").path
    }

    @Test func platformsSideBySide() throws {
        let db = try cli.tempDir().appendingPathComponent("k3sim.sqlite").path
        let r = try cli.k3sim([
            "compare", scenario("platform-k3s-hetzner"), scenario("platform-gke-zonal"),
            scenario("platform-gke-regional"), "--db", db,
        ])
        #expect(r.code == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        func row(_ label: String) -> [String] {
            let trimmed = lines.map { $0.drop { $0 == " " } }
            guard let line = trimmed.first(where: { $0.hasPrefix("\(label)  ") }) else { return [] }
            return line.dropFirst(label.count).split(separator: " ").map(String.init)
        }
        // The zonal control plane is down for the upgrade (5 min assumption), the others never.
        #expect(row("API writes unavailable") == ["0.0", "s", "300.0", "s", "0.0", "s"])
        // GKE re-creates the crashed node 600 s after it went NotReady; K3S on Hetzner repairs nothing.
        let started = row("nodeRepairStarted"), notReady = row("nodeNotReady")
        #expect(started.first == "—")
        if started.count == 5, notReady.count == 6, let s = Double(started[1].dropFirst()),
            let n = Double(notReady[2].dropFirst())
        {
            #expect(abs(s - n - 600) < 0.2)
        } else {
            Issue.record("unexpected rows: \(started) / \(notReady)")
        }
        #expect(r.stdout.contains("k3sim report 1 2 3 --db \(db)"))
        let report = try cli.k3sim(["report", "1", "2", "3", "--db", db, "--format", "md", "--out", try cli.tempDir().path])
        #expect(report.code == 0, "\(report.stderr)")
    }

    @Test func needsTwoScenariosAndGoodFiles() throws {
        #expect(try cli.k3sim(["compare", scenario("platform-gke-zonal")]).code == 2)
        let bad = try cli.k3sim(["compare", scenario("platform-gke-zonal"), "/nonexistent.yaml"])
        #expect(bad.code == 2)
        #expect(bad.stderr.contains("/nonexistent.yaml"))
    }
}

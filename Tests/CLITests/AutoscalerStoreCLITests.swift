import Foundation
import Simulation
import Store
import Testing

/// `run scenarios/hpa-peak.yaml --db FILE --json`: the autoscalers the JSON printed are the
/// ones the store reads back, and `show` and the run report carry them.
struct AutoscalerStoreCLITests {
    let cli = CLITests()
    var scenario: String { CLITests.packageRoot.appendingPathComponent("scenarios/hpa-peak.yaml").path }

    /// The parts of `run --json` read back here; JSONDecoder so the doubles compare bit for bit.
    struct Printed: Decodable {
        let runId: Int64
        let autoscalers: [AutoscalerResult]?
    }

    @Test func storedAutoscalersAreThePrintedOnes() throws {
        let dir = try cli.tempDir()
        let db = dir.appendingPathComponent("h.sqlite").path
        let r = try cli.k3sim(["run", scenario, "--db", db, "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let printed = try JSONDecoder().decode(Printed.self, from: Data(r.stdout.utf8))
        let autoscalers = try #require(printed.autoscalers)
        #expect(autoscalers.contains { !$0.rescales.isEmpty })
        let stored = try #require(try ResultStore(path: db).run(id: printed.runId))
        #expect(stored.record.autoscalers == autoscalers)

        let show = try cli.k3sim(["show", "\(printed.runId)", "--db", db])
        #expect(show.code == 0, "\(show.stderr)")
        #expect(show.stdout.contains("HorizontalPodAutoscaler \(autoscalers[0].name) → \(autoscalers[0].target)"))
        let report = try cli.k3sim(["report", "--db", db, "--format", "md"])
        #expect(report.code == 0, "\(report.stderr)")
        let written = try report.stdout.split(separator: "\n").map { try String(contentsOfFile: String($0), encoding: .utf8) }
        #expect(written.contains { $0.contains("## Horizontal Pod Autoscalers") })
    }
}

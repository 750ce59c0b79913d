import Foundation
import Scenario
import Testing

@testable import Simulation

/// Every scenario in scenarios/ runs, and each fault reaches at least one milestone.
struct ShippedScenarioTests {
    static let files: [String] =
        (try? FileManager.default.contentsOfDirectory(atPath: Support.scenariosDirectory.path))?
        .filter { $0.hasSuffix(".yaml") }.sorted() ?? []

    @Test func thereAreScenarios() { #expect(Self.files.contains("hetzner-k3s-ha.yaml")) }

    @Test(arguments: files)
    func runs(_ file: String) throws {
        let record = ClusterSimulation(spec: try Support.scenario(file)).run()
        #expect(record.events > 0)
        #expect(!record.workloads.isEmpty)
        for f in record.faults { #expect(!f.milestones.isEmpty, "fault \(f.index) of \(file) has no milestone") }
        for w in record.workloads { #expect(w.availability >= 0 && w.availability <= 1) }
    }
}

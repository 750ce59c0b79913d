import Foundation
import Scenario
import Testing

/// The scale scenarios of `k3sim bench scale` (scenarios/large/, not simulated by the test
/// suite) load, and have the size they claim.
@Suite struct LargeScenarioTests {
    @Test(arguments: [("large-100.yaml", 100, 2), ("large-500.yaml", 500, 10), ("large-5000.yaml", 5000, 100)])
    func loads(_ file: String, nodes: Int, deployments: Int) throws {
        let path = scenariosDirectory.appendingPathComponent("large").appendingPathComponent(file).path
        let s = try ScenarioLoader.load(path: path).spec
        #expect(s.nodes.filter { $0.pool == "agents" }.count == nodes)
        // Besides K3S's own (coredns), the generated Deployments and DaemonSets.
        let services = s.workloads.deployments.filter { $0.metadata.name.hasPrefix("svc-") }
        #expect(services.count == deployments)
        #expect(services.map(\.replicas).reduce(0, +) == 1400 * deployments)
        #expect(s.workloads.daemonSets.filter { $0.metadata.namespace == "monitoring" }.count == 2)
        #expect(s.faults.count == 1 + deployments)
    }
}

import Catalog
import Costs
import Foundation
import KubeModel
import Scenario
import Simulation
import Testing

/// `k3sim plan` for the reference workload: one plan per provider, only orderable types, and
/// every emitted plan survives a crash of each of its nodes (no pending pod afterwards).
@Suite(.serialized) struct PlannerTests {
    func request(
        _ ref: LoadedScenario, survive: Survive = .node, providers: [Provider] = Provider.allCases,
        headroom: Double = 0
    ) -> ComparisonRequest {
        let r = ref
        return ComparisonRequest(
            platform: ref.platform, workloadsFor: { r.workloads(for: $0) }, parameters: ref.spec.parameters,
            scheduler: ref.spec.scheduler, timing: ref.spec.timing, providers: providers, survive: survive,
            headroomPercent: headroom, currency: "EUR", seed: ref.spec.seed,
            defaultStorageClass: ref.spec.storage.defaultClass)
    }

    /// Crashes `target` in the scenario written for a plan and returns the pending pods once
    /// the node lifecycle controller, taint eviction and the controllers have had their time.
    func pendingAfterCrash(_ s: LoadedScenario, _ target: FaultSpec.Target) -> Int {
        var spec = s.spec
        spec.faults = [FaultSpec(at: .minutes(3), action: .crash, target: target)]
        spec.duration = .minutes(15)
        return ClusterSimulation(spec: spec).run().pendingPodsAtEnd
    }

    @Test func referencePlansForEveryProviderSurviveEachNodeCrash() throws {
        let ref = try Fixtures.reference()
        let catalog = Fixtures.catalog
        let result = try Comparison.plans(request(ref), catalog: catalog)
        #expect(result.notes.isEmpty, "\(result.notes)")
        #expect(result.plans.map(\.platform.distribution) == [.k3s, .eks, .gke, .lke])
        let dir = try Fixtures.tempDir()
        for plan in result.plans {
            let pc = try #require(catalog.provider(plan.platform.provider))
            let types = (plan.platform.controlPlane.map { [$0.type] } ?? []) + plan.platform.pools.map(\.type)
            for t in types { #expect(pc.instanceType(t)?.orderable == true, "\(t) cannot be ordered") }
            #expect(plan.cost.monthly > 0)
            #expect(plan.cost.survives == "node")
            let path = dir.appendingPathComponent("\(plan.platform.distribution.rawValue).yaml").path
            let text = try ScenarioEmitter.emit(
                ref, platform: plan.platform, survive: "node", outputPath: path, notes: plan.notes)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let emitted = try ScenarioLoader.load(path: path)
            #expect(emitted.platform.distribution == plan.platform.distribution)
            #expect(emitted.spec.faults.count == emitted.spec.nodes.count)
            for node in emitted.spec.nodes {
                #expect(pendingAfterCrash(emitted, .node(node.name)) == 0, "\(plan.platform.provider) \(node.name)")
            }
        }
        let hetzner = try #require(result.plans.first)
        #expect(hetzner.notes.contains { $0.contains("cax21 is not available for new orders") })
        #expect(hetzner.notes.contains { $0.contains("cax11, cax21, cax31, cax41") })
    }

    @Test func survivingAZoneSpreadsOverZones() throws {
        let ref = try Fixtures.reference()
        let result = try Comparison.plans(
            request(ref, survive: .zone, providers: [.hetzner, .linode]), catalog: Fixtures.catalog)
        #expect(result.plans.count == 1)
        #expect(result.notes.first?.contains("single zone") == true)
        let plan = try #require(result.plans.first)
        let zones = Set(plan.platform.pools.flatMap(\.zones))
        #expect(zones.count >= 2)
        let path = try Fixtures.tempDir().appendingPathComponent("k3s.yaml").path
        try ScenarioEmitter.emit(ref, platform: plan.platform, survive: "zone", outputPath: path).write(
            toFile: path, atomically: true, encoding: .utf8)
        let emitted = try ScenarioLoader.load(path: path)
        for z in ["fsn1", "nbg1", "hel1"] {
            #expect(pendingAfterCrash(emitted, .zone(z)) == 0, "\(z)")
        }
    }

    @Test func headroomNeverMakesAPlanCheaper() throws {
        let ref = try Fixtures.reference()
        let base = try Comparison.plans(request(ref, providers: [.aws]), catalog: Fixtures.catalog).plans[0]
        let roomy = try Comparison.plans(request(ref, providers: [.aws], headroom: 30), catalog: Fixtures.catalog).plans[0]
        #expect(roomy.cost.monthly >= base.cost.monthly)
    }

    /// `k3sim cost`: the scenario as written, then the plans; Hetzner is planned too because
    /// the scenario's CAX servers can no longer be ordered.
    @Test func costComparison() throws {
        let report = try Comparison.cost(request(try Fixtures.reference()), catalog: Fixtures.catalog)
        #expect(
            report.options.map { "\($0.provider)/\($0.origin)" } == [
                "hetzner/scenario", "hetzner/plan", "aws/plan", "gcp/plan", "linode/plan",
            ])
        // As written, at what owners of CAX servers pay (2026-04-01 prices; CAX cannot be
        // ordered since 2026-09-03): 3 · 7.99 + 4 · 15.99 + 7 · 0.50 + services (0.36 + 1.73 +
        // 0.22) = 91.43 + 2.31 = 93.74 EUR, plus the CloudNativePG volumes (3 instances ×
        // 20 Gi on Hetzner Volumes: 60 GB · 0.0572 = 3.43): 97.17 EUR, a lower bound (S3 PUT
        // requests are unpriced).
        let own = report.options[0]
        #expect(own.monthly == 97.17)
        #expect(own.items.first { $0.item.hasPrefix("Hetzner Volumes") }?.amount == 3.43)
        #expect(own.complete == false)
        // Planned servers are new orders at the 2026-06-15 list price: 3 · 19.49 (cpx22) +
        // 3 · 35.49 (cpx32) + 6 · 0.50 + 2.31 = 58.47 + 106.47 + 3.00 + 2.31 = 170.25 EUR,
        // + 3.43 volumes = 173.68 EUR.
        #expect(
            report.options[1].nodes == [NodeCount(type: "cpx22", count: 3, role: "server"), NodeCount(type: "cpx32", count: 3)])
        #expect(report.options[1].monthly == 173.68)
        #expect(!report.options[1].items.contains { $0.item.contains("existing-server price") })
        // At the list price no one can order at: 3 · 10.49 + 4 · 20.99 + 3.50 + 2.31 + 3.43 = 124.67 EUR.
        let note = try #require(own.notes.first { $0.hasPrefix("A new cluster cannot order") })
        #expect(note.contains("cax21, cax31 (not available since 2026-09-03; availability may return)"))
        #expect(note.contains("at the list price of 2026-06-15 they would cost 124.67 EUR"))
        #expect(note.contains("the planned option costs 173.68 EUR"))
        for o in report.options {
            let sum = o.items.reduce(Int64(0)) { $0 + Int64(($1.converted * 100).rounded()) }
            #expect(Double(sum) / 100 == o.monthly)
        }
        #expect(report.fx["EURUSD"]?.rate == 1.1567)
    }
}

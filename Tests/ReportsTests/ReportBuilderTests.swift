import Foundation
import Simulation
import Store
import Testing

@testable import Reports

/// Choosing and naming reports from a store, the validation of a hand-made live run saved
/// in a test store, and the readers the reports rely on.
@Suite struct ReportBuilderTests {
    func store(_ setup: (ResultStore) throws -> Void = { _ in }) throws -> ResultStore {
        let s = try ResultStore.inMemory()
        try setup(s)
        return s
    }

    @Test func latestRunByDefaultAndUnknownIdsAreBadInput() throws {
        let empty = try store()
        let none = #expect(throws: ReportError.self) { try ReportBuilder(store: empty).reports(for: []) }
        #expect(none?.isBadInput == true)

        let s = try store {
            try $0.save(
                scenarioName: "fixture-crash", scenarioText: Fixture.scenarioText,
                records: [Fixture.record(), Fixture.record(seed: 8)], k3simVersion: "0.1.0")
        }
        let single = try s.save(
            scenarioName: "fixture-crash", scenarioText: Fixture.scenarioText,
            records: [Fixture.record(seed: 9)], k3simVersion: "0.1.0")
        let latest = try ReportBuilder(store: s).reports(for: [])
        #expect(latest.map(\.name) == ["run-\(single[0])-fixture-crash"])
        let missing = #expect(throws: ReportError.self) { try ReportBuilder(store: s).reports(for: [single[0], 999]) }
        #expect(missing?.isBadInput == true)
        #expect(missing?.message == "no run 999 in the results database (see `k3sim runs`)")
    }

    @Test func aBatchRunBringsItsMonteCarloReportAndSeveralRunsAComparison() throws {
        let s = try store()
        let batch = try s.save(
            scenarioName: "fixture-crash", scenarioText: Fixture.scenarioText,
            records: [Fixture.record(), Fixture.record(seed: 8, shift: 3), Fixture.record(seed: 9, shift: 7)],
            k3simVersion: "0.1.0")
        let reports = try ReportBuilder(store: s).reports(for: [batch[1], batch[2], batch[1]])
        #expect(
            reports.map(\.name) == [
                "run-\(batch[1])-fixture-crash", "montecarlo-\(batch[0])-fixture-crash",
                "run-\(batch[2])-fixture-crash", "comparison-\(batch[1])-\(batch[2])",
            ])
        #expect(reports.map(\.document.kind) == [.run, .monteCarlo, .run, .comparison])
        let files = reports[1].files(.both, generator: "k3sim test")
        #expect(files.map(\.name) == ["montecarlo-\(batch[0])-fixture-crash.html", "montecarlo-\(batch[0])-fixture-crash.md"])
        #expect(reports[0].files(.md, generator: "x").map(\.name) == ["run-\(batch[1])-fixture-crash.md"])
    }

    /// A live run saved next to a simulated batch gets a validation report, rendered from what
    /// the store gives back (the live record has no topology, as a drill may not capture one).
    @Test func liveRunIsValidatedAgainstTheStoredSimulation() throws {
        let s = try store()
        _ = try s.save(
            scenarioName: "fixture-crash", scenarioText: Fixture.scenarioText,
            records: Fixture.batch().map(\.record), k3simVersion: "0.1.0")
        let live = try s.save(
            scenarioName: "fixture-crash", scenarioText: Fixture.scenarioText,
            records: [Fixture.liveRecord()], k3simVersion: "0.1.0")
        let reports = try ReportBuilder(store: s).reports(for: live)
        #expect(reports.map(\.document.kind) == [.run, .validation])
        let md = MarkdownRenderer.render(reports[1].document, generator: "x")
        #expect(
            md.contains(
                "| `nodeNotReady` | +67.5 s | +52.0 s | +47.5 s to +58.8 s (p95 +58.1 s) | +15.5 s | later than every simulated run |"
            ))
        #expect(md.contains("| `replacementsReady` | — | +365.0 s |"))
        #expect(md.contains("not observed"))
        #expect(md.contains("Simulated but not observed: F0 replacementsReady."))
        let html = HTMLRenderer.render(reports[1].document, generator: "x")
        #expect(html.contains("data-chart=\"validation\""))
        // Without a simulation of the scenario there is nothing to validate against.
        let alone = try store()
        let only = try alone.save(
            scenarioName: "fixture-crash", scenarioText: Fixture.scenarioText,
            records: [Fixture.liveRecord()], k3simVersion: "0.1.0")
        #expect(try ReportBuilder(store: alone).reports(for: only).map(\.document.kind) == [.run])
    }

    /// The builder reads each run's stored cost (`ResultStore.costs(runID:)`): a run saved with
    /// one shows it itemised, a run saved without says so, the comparison draws both, and the
    /// Monte Carlo report takes the batch's first run's.
    @Test func costsComeFromTheStore() throws {
        let s = try store()
        let batch = try s.save(
            scenarioName: "fixture-crash", scenarioText: Fixture.scenarioText,
            records: [Fixture.record(), Fixture.record(seed: 8, shift: 3)], k3simVersion: "0.1.0")
        try s.saveCosts([Fixture.costOption], runIDs: [batch[0]])
        var other = Fixture.costOption
        other.monthly = 999
        try s.saveCosts([other], runIDs: [batch[1]])
        let older = try s.save(
            scenarioName: "fixture-crash", scenarioText: Fixture.scenarioText,
            records: [Fixture.record(seed: 9)], k3simVersion: "0.0.9")
        let reports = try ReportBuilder(store: s).reports(for: [batch[0], older[0]])
        #expect(reports.map(\.document.kind) == [.run, .monteCarlo, .run, .comparison])
        let md = reports.map { MarkdownRenderer.render($0.document, generator: "x") }
        #expect(
            md[0].contains(
                "- Monthly cost: **≥ 56.05 EUR** (hetzner k3s eu-central: 1 × server cax21 (control plane) + 2 × server cax31; 1 unpriced item); itemised under Cost."
            ))
        #expect(
            md[0].contains(
                "| S3 PUT requests (WAL segments) | 1.95 × 1,000 requests | unpriced | unpriced | — | unverified | — |"))
        #expect(
            md[0].contains(
                "| AWS Secrets Manager secrets | 6 secret-month | 0.40 USD | 2.40 USD → 2.08 EUR | 2026 | secondary | \\[3\\] |"))
        #expect(md[0].contains("| **total** |   |   | **≥ 56.05 EUR** |   |   |   |"))  // a lower bound: S3 PUT is unpriced
        #expect(md[0].contains("- **By category:** compute 52.47 EUR · network 1.50 EUR · services 2.08 EUR"))
        #expect(md[0].contains("- \\[1\\] www.hetzner.com/cloud/"))
        #expect(md[1].contains("- Monthly cost: **≥ 56.05 EUR**"), "the batch's cost is its first run's")
        #expect(!md[1].contains("999"))
        #expect(
            md[2].contains(
                "- Monthly cost: no cost stored for this run: run it again with this version, or use `k3sim cost SCENARIO`."))
        #expect(md[3].contains("| **monthly cost** | **≥ 56.05 EUR** (1 unpriced item) | no cost stored |"))
        #expect(md[3].contains("| compute | 52.47 EUR | — |"))
        let chart = try #require(reports[3].document.charts.first { $0.kind == "cost-by-category" })
        let svg = chart.svg.render()
        #expect(svg.contains(">no cost stored</text>") && svg.contains(">56.05 EUR</text>"))
        #expect(
            chart.summary.map(\.plain) == [
                "#\(batch[0]) fixture-crash: 56.05 EUR — compute 52.47 EUR, network 1.50 EUR, services 2.08 EUR.",
                "#\(older[0]) fixture-crash: no cost stored.",
            ])
    }

    @Test func writtenFilesAndStaleExamples() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-reports-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = [
            ReportFile(name: "old.html", contents: "old"), ReportFile(name: "keep.md", contents: "k"),
            ReportFile(name: "README.md", contents: "| a | run | [html](old.html) · [md](keep.md) |\n[x](../up.md)"),
            ReportFile(name: "mine.txt", contents: "not a report"),
        ]
        try ReportBuilder.write(old, to: dir)
        try ReportIndex.removeStaleReports(in: dir, keeping: ["keep.md", "README.md"])
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["README.md", "keep.md", "mine.txt"])
        #expect(ReportIndex.linkedFiles("[a](x.html) [b](y.md) [c](../z.md) [d](x.html) [e](f.png)") == ["x.html", "y.md"])
    }

    @Test func slugsAreSafeFileNames() {
        #expect(ReportBuilder.slug("hetzner-k3s-ha") == "hetzner-k3s-ha")
        #expect(ReportBuilder.slug("My Scenario / v2") == "my-scenario-v2")
        #expect(ReportBuilder.slug("äöü") == "scenario")
    }
}

/// The readers that turn stored data into what a report says.
@Suite struct ReadingTests {
    @Test func scenarioFactsReadBlockAndFlowMappings() {
        let f = ScenarioFacts(text: Fixture.scenarioText)
        #expect(f.description == "an agent of two crashes; web (3 replicas) recovers on the other")
        #expect(f.platformLine == "k3s on hetzner (eu-central), Kubernetes 1.33")
        #expect(f.datastore == "embedded-etcd")
        let block = ScenarioFacts(
            text: """
                metadata:
                  name: x   # comment
                spec:
                  nodePools:
                    - name: agents
                      serverType: cax31
                  platform:
                    distribution: k3s
                    provider: 'hetzner'
                    kubernetesVersion: "1.31"
                """)
        #expect(block.platformLine == "k3s on hetzner, Kubernetes 1.31")
        #expect(block["metadata.name"] == "x")
        #expect(block["spec.nodePools.name"] == nil)
        #expect(ScenarioFacts(text: "").platformLine == nil)
        #expect(ScenarioFacts(text: "{{{ not yaml").values.isEmpty)
    }

    @Test func formats() {
        #expect(Fmt.clock(646.76751) == "10:46.8")
        #expect(Fmt.clock(3845) == "1:04:05.0")
        #expect(Fmt.after(46.76751) == "+46.8 s")
        #expect(Fmt.duration(3600) == "1h")
        #expect(Fmt.duration(5400) == "1h30m")
        #expect(Fmt.duration(1200) == "20m")
        #expect(Fmt.percent(1) == "100 %")
        #expect(Fmt.percent(0.900589559743172) == "90.06 %")
        #expect(Fmt.memory(16_944_988_160) == "15.8 GiB")
        #expect(Fmt.memory(268_435_456) == "256 MiB")
        #expect(Fmt.cpu(3500) == "3.5")
        #expect(Fmt.cpuRequest(250) == "250m")
        #expect(Fmt.cpuRequest(2000) == "2")
    }

    @Test func impactsReadTheSeries() {
        let r = Fixture.record()
        let crash = RecoveryAnalysis.impacts(of: r.faults[0], in: r, until: RecoveryAnalysis.windowEnd(of: r.faults[0], in: r))
        #expect(
            crash == [
                RecoveryAnalysis.Impact(
                    workload: "shop/web", desired: 3, droppedAt: 60, dips: 1, lowest: 2,
                    lowestAt: 60, backAt: 420.5, secondsBelow: 360.5)
            ])
        // The rollout surged to 4 ready and never went below 3: no impact.
        #expect(RecoveryAnalysis.impacts(of: r.faults[1], in: r, until: 1200).isEmpty)
        let step = RecoveryAnalysis.longestStep(of: r.faults[0])
        #expect(step?.from == "nodeTainted" && step?.to.name == .podsEvicted)
        #expect(abs((step?.seconds ?? 0) - 300) < 1e-9)
        #expect(RecoveryAnalysis.endMilestone(of: r.faults[1])?.name == .completed)
    }

    /// A server crash that evicted pods is not over when etcd has a new leader: its end is the
    /// workloads' recovery, and without one the longest step runs to the evictions.
    @Test func aNewLeaderDoesNotEndAFaultThatHitWorkloads() {
        let f = FaultResult(
            index: 0, action: "crash", target: "node/server-0", at: 300,
            milestones: [
                Milestone(name: .leaderLost, at: 300, mechanism: "leader down"),
                Milestone(name: .leaderElected, at: 305, mechanism: "election"),
                Milestone(name: .nodeNotReady, at: 347, mechanism: "grace period"),
                Milestone(name: .nodeTainted, at: 347, mechanism: "taint"),
                Milestone(name: .podsEvicted, at: 647, mechanism: "tolerationSeconds 300 s"),
            ])
        #expect(RecoveryAnalysis.endMilestone(of: f) == nil)
        let step = RecoveryAnalysis.longestStep(of: f)
        #expect(step?.to.name == .podsEvicted && step?.seconds == 300)
        var controlPlaneOnly = f
        controlPlaneOnly.milestones = Array(f.milestones.prefix(2))
        #expect(RecoveryAnalysis.endMilestone(of: controlPlaneOnly)?.name == .leaderElected)
    }

    /// A node-by-node upgrade takes a workload down several times: the impact counts the dips,
    /// keeps the lowest point, and is back only after the last one.
    @Test func severalDipsAreOneImpact() {
        var r = Fixture.record()
        r.series[0].points = [
            SeriesPoint(t: 5, value: 3), SeriesPoint(t: 70, value: 2), SeriesPoint(t: 80, value: 3),
            SeriesPoint(t: 100, value: 1), SeriesPoint(t: 130, value: 2), SeriesPoint(t: 150, value: 3),
            SeriesPoint(t: 700, value: 2),
        ]
        let impact = RecoveryAnalysis.impacts(of: r.faults[0], in: r, until: 600)
        #expect(
            impact == [
                RecoveryAnalysis.Impact(
                    workload: "shop/web", desired: 3, droppedAt: 70, dips: 2, lowest: 1,
                    lowestAt: 100, backAt: 150, secondsBelow: 60)
            ])
        // A dip that has not ended by the end of the run has no back time.
        let open = RecoveryAnalysis.impacts(of: r.faults[1], in: r, until: 1200)
        #expect(open.first?.backAt == nil && open.first?.secondsBelow == 500)
    }

    @Test func markdownEscapesMarkupButKeepsNamesReadable() {
        #expect(MarkdownRenderer.escape("a|b *c* [d] <e> node_name _x_") == "a\\|b \\*c\\* \\[d\\] \\<e> node_name \\_x\\_")
        #expect(MarkdownRenderer.inline(.code("a|b")) == "`a\\|b`")
        #expect(MarkdownRenderer.escape("run #1") == "run #1")
        #expect(MarkdownRenderer.block(.paragraph("#1 run")) == "\\#1 run\n\n")
    }
}

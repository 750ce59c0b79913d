import Foundation
import Simulation
import Store
import Testing

@testable import Reports

/// The HTML reports are self-contained and complete: no script, no network reference, every
/// chart present and well-formed, ids unique.
@Suite struct HTMLStructureTests {
    static let documents: [(String, ReportDocument)] = [
        ("run", RunReport.document(Fixture.storedRun(), costs: Fixture.costs)),
        ("montecarlo", MonteCarloReport.document(Fixture.batch(), costs: Fixture.costs)),
        (
            "comparison",
            ComparisonReport.document(
                [Fixture.storedRun(), Fixture.storedRun(id: 2, record: Fixture.record(seed: 9))],
                costs: [Fixture.costs, .none])
        ),
        (
            "validation",
            ValidationReport.document(
                live: Fixture.storedRun(id: 20, record: Fixture.liveRecord()),
                simulated: Fixture.batch())
        ),
    ]

    /// Every `http://` or `https://` in the page must be the SVG namespace.
    static func networkReferences(_ html: String) -> [String] {
        var found: [String] = []
        var rest = Substring(html)
        while let r = rest.range(of: "http", options: .caseInsensitive) {
            let tail = rest[r.lowerBound...]
            if tail.lowercased().hasPrefix("http://") || tail.lowercased().hasPrefix("https://") {
                let url = String(tail.prefix { !"\"' <>)".contains($0) })
                if url != "http://www.w3.org/2000/svg" { found.append(url) }
            }
            rest = rest[r.upperBound...]
        }
        return found
    }

    @Test(arguments: 0..<4)
    func selfContained(_ index: Int) {
        let (kind, doc) = Self.documents[index]
        let html = HTMLRenderer.render(doc, generator: Fixture.generator)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.lowercased().contains("<link"))
        #expect(!html.lowercased().contains("@import"))
        #expect(!html.contains("url(http"))
        #expect(Self.networkReferences(html).isEmpty, "network references: \(Self.networkReferences(html))")
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
        #expect(html.contains("<meta name=\"k3sim-report\" content=\"\(kind)\">"))
    }

    @Test(arguments: 0..<4)
    func everyChartIsPresentAndWellFormed(_ index: Int) throws {
        let (_, doc) = Self.documents[index]
        let html = HTMLRenderer.render(doc, generator: Fixture.generator)
        #expect(!doc.charts.isEmpty)
        #expect(html.components(separatedBy: "<svg ").count - 1 == doc.charts.count)
        #expect(html.components(separatedBy: "<figure class=\"chart-figure\"").count - 1 == doc.charts.count)
        for chart in doc.charts {
            #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(chart.id)\""))
            let svg = chart.svg.render()
            #expect(ElementCollector.parse(svg) != nil, "chart \(chart.id) is not well-formed XML")
        }
        // Ids are unique in the page (SVG title/desc and pattern ids are page-wide).
        let ids = html.components(separatedBy: " id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(Set(ids).count == ids.count, "duplicate ids: \(ids.filter { id in ids.filter { $0 == id }.count > 1 })")
    }

    @Test func runReportHasEveryChartKind() {
        let kinds = Set(RunReport.document(Fixture.storedRun(), costs: Fixture.costs).charts.map(\.kind))
        #expect(kinds == ["ready-replicas", "ready-replicas-fault", "node-states", "pending-pods", "milestones"])
        let mc = Set(MonteCarloReport.document(Fixture.batch(), costs: Fixture.costs).charts.map(\.kind))
        #expect(mc == ["histogram", "cdf"])
        let comparison = Self.documents[2].1.charts.map(\.kind)
        #expect(comparison == ["comparison", "cost-by-category"])
    }

    @Test func runReportAnswersTheReviewersQuestions() {
        let html = HTMLRenderer.render(
            RunReport.document(Fixture.storedRun(), costs: Fixture.costs), generator: Fixture.generator)
        // What failed.
        #expect(html.contains("F0: crash node/agents-1"))
        // When each workload was back.
        #expect(html.contains("all back by +360.5 s"))
        // Why it took that long: the longest step and its mechanism.
        #expect(
            html.contains(
                "<code>nodeTainted</code> → <code>podsEvicted</code>, took <strong>300.0 s</strong>: tolerationSeconds 300 s"))
        // What the platform costs, from the stored lines; an unpriced line is never a 0.
        #expect(
            html.contains(
                "Monthly cost: <strong>≥ 56.05 EUR</strong> (hetzner k3s eu-central: 1 × server cax21 (control plane) "
                    + "+ 2 × server cax31; 1 unpriced item)"))
        #expect(
            html.contains(
                "<td class=\"num\">1.95 × 1,000 requests</td><td class=\"num\">unpriced</td><td class=\"num\">unpriced</td>"))
        #expect(!html.contains("comes with the cost issue"))
        // The topology and the requests.
        #expect(html.contains("cax31") && html.contains("fsn1-dc14") && html.contains("256 MiB"))
        // Names from the store are escaped, never markup.
        var run = Fixture.storedRun()
        run.record.faults[0].milestones[0].mechanism = "<b>bold</b> & \"quoted\""
        let escaped = HTMLRenderer.render(RunReport.document(run, costs: .none), generator: Fixture.generator)
        #expect(escaped.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;"))
        #expect(!escaped.contains("<b>bold</b>"))
    }

    @Test func runWithoutTopologySaysSo() {
        var record = Fixture.record()
        record.topology = nil
        let md = MarkdownRenderer.render(
            RunReport.document(Fixture.storedRun(record: record), costs: Fixture.costs), generator: "x")
        #expect(md.contains("Topology not recorded"))
    }

    /// A run stored before costs were (or a live run) says plainly that it has none, in the
    /// glance and in the Cost section, and shows no number.
    @Test func runWithoutStoredCostSaysSo() {
        let md = MarkdownRenderer.render(RunReport.document(Fixture.storedRun(), costs: .none), generator: "x")
        #expect(
            md.contains(
                "- Monthly cost: no cost stored for this run: run it again with this version, or use `k3sim cost SCENARIO`."))
        #expect(md.contains("> **No cost stored for this run:** run it again with this version, or use `k3sim cost SCENARIO`."))
        #expect(!md.contains(" EUR"))
        let live = MarkdownRenderer.render(
            RunReport.document(Fixture.storedRun(id: 20, record: Fixture.liveRecord()), costs: .none),
            generator: "x")
        #expect(live.contains("- Monthly cost: no cost stored for this live run: price its platform with `k3sim cost SCENARIO`."))
        // A run of explicit nodes has no server type to price: running it again would not help.
        var explicit = Fixture.record()
        for i in explicit.topology!.nodes.indices { explicit.topology!.nodes[i].instanceType = nil }
        let plain = MarkdownRenderer.render(RunReport.document(Fixture.storedRun(record: explicit), costs: .none), generator: "x")
        #expect(
            plain.contains(
                "- Monthly cost: no cost stored for this run: its nodes are given explicitly, without a server type "
                    + "to price; give the scenario node pools (or control-plane servers) to have `k3sim run` price it."))
        let unreadable = MarkdownRenderer.render(
            RunReport.document(Fixture.storedRun(), costs: .unreadable("disk I/O error")),
            generator: "x")
        #expect(unreadable.contains("> **Cost not readable:** the cost stored with run #1 could not be read: disk I/O error."))
    }
}

import Foundation
import Simulation
import Store
import Testing

@testable import Reports

/// Golden-file tests: the Markdown of each report kind for fixed, hand-built runs, compared
/// byte for byte with `Tests/ReportsTests/Golden/*.md`.
///
/// After an intended change of the report format, regenerate the files and review the diff:
///
///     K3SIM_UPDATE_GOLDEN=1 swift test --disable-xctest --filter MarkdownGoldenTests
///
/// With the variable set, the tests write the files instead of comparing (and still pass).
@Suite struct MarkdownGoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static var updating: Bool { ProcessInfo.processInfo.environment["K3SIM_UPDATE_GOLDEN"] == "1" }

    func check(_ document: ReportDocument, against name: String) throws {
        let markdown = MarkdownRenderer.render(document, generator: Fixture.generator)
        let url = Self.directory.appendingPathComponent(name)
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try Data(markdown.utf8).write(to: url)
            return
        }
        let golden = try #require(
            FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) },
            "missing golden file \(name): run with K3SIM_UPDATE_GOLDEN=1 to create it")
        if markdown != golden {
            let a = markdown.split(separator: "\n", omittingEmptySubsequences: false)
            let b = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            Issue.record(
                """
                \(name) differs from the rendered Markdown at line \(line + 1):
                  golden:   \(line < b.count ? String(b[line]) : "<end>")
                  rendered: \(line < a.count ? String(a[line]) : "<end>")
                Regenerate with K3SIM_UPDATE_GOLDEN=1 if the change is intended.
                """)
        }
    }

    @Test func runReport() throws {
        try check(RunReport.document(Fixture.storedRun(), costs: Fixture.costs), against: "run-report.md")
    }

    @Test func monteCarloReport() throws {
        try check(MonteCarloReport.document(Fixture.batch(), costs: Fixture.costs), against: "montecarlo-report.md")
    }

    @Test func comparisonReport() throws {
        var other = Fixture.record(seed: 8, shift: 30)
        other.scenarioName = "fixture-crash-131"
        other.topology = nil
        // The first run has a stored cost, the second (stored before costs were) none.
        try check(
            ComparisonReport.document(
                [Fixture.storedRun(), Fixture.storedRun(id: 2, record: other)],
                costs: [Fixture.costs, .none]),
            against: "comparison-report.md")
    }

    @Test func validationReport() throws {
        let live = Fixture.storedRun(id: 20, record: Fixture.liveRecord())
        try check(ValidationReport.document(live: live, simulated: Fixture.batch()), against: "validation-report.md")
    }

    /// The same input renders the same bytes: nothing in a report depends on dictionary order,
    /// the clock or the machine.
    @Test func renderingIsDeterministic() {
        let run = Fixture.storedRun()
        let a = HTMLRenderer.render(RunReport.document(run, costs: Fixture.costs), generator: Fixture.generator)
        let b = HTMLRenderer.render(RunReport.document(run, costs: Fixture.costs), generator: Fixture.generator)
        #expect(a == b)
        #expect(
            MarkdownRenderer.render(MonteCarloReport.document(Fixture.batch(), costs: Fixture.costs), generator: "x")
                == MarkdownRenderer.render(MonteCarloReport.document(Fixture.batch(), costs: Fixture.costs), generator: "x"))
    }

    @Test func markdownHasNoHTML() {
        let md = MarkdownRenderer.render(
            RunReport.document(Fixture.storedRun(), costs: Fixture.costs), generator: Fixture.generator)
        #expect(!md.contains("<svg"))
        #expect(!md.contains("<div"))
        #expect(!md.contains("<table"))
        #expect(md.contains("| `shop/web` |"))
    }
}

import Simulation
import Store
import Testing

@testable import Reports

/// The comparison's cost-against-availability chart: one point per run priced in the
/// currency, none when fewer than two are.
@Suite struct CostAvailabilityChartTests {
    /// Run 1 costs ≥ 56.05 EUR with shop/web at 90 %; run 2 costs 120 EUR with shop/web at
    /// 0.9 − 50 / 10 000 = 89.5 %; run 3 has no cost and is left out.
    @Test func onePointPerPricedRun() throws {
        var dearer = Fixture.costOption
        dearer.monthly = 120
        dearer.items = dearer.items.filter { $0.unitPrice != nil }
        let runs = [
            Fixture.storedRun(), Fixture.storedRun(id: 2, record: Fixture.record(seed: 9, shift: 50)),
            Fixture.storedRun(id: 3, record: Fixture.record(seed: 10)),
        ]
        let doc = ComparisonReport.document(runs, costs: [Fixture.costs, .stored([dearer]), .none])
        let chart = try #require(doc.charts.first { $0.kind == "cost-availability" })
        #expect(
            chart.summary.map(\.plain) == [
                "#1 fixture-crash: ≥ 56.05 EUR a month, lowest availability 90.00 %.",
                "#2 fixture-crash: 120.00 EUR a month, lowest availability 89.50 %.",
            ])
        let svg = chart.svg.render()
        #expect(svg.components(separatedBy: "class=\"point\"").count - 1 == 2)
        #expect(svg.contains(">#1 fixture-crash</text>") && svg.contains(">#2 fixture-crash</text>"))
        #expect(!svg.contains("#3 fixture-crash"))
    }

    @Test func noChartForASinglePricedRun() {
        let doc = ComparisonReport.document(
            [Fixture.storedRun(), Fixture.storedRun(id: 2, record: Fixture.record(seed: 9))],
            costs: [Fixture.costs, .none])
        #expect(!doc.charts.contains { $0.kind == "cost-availability" })
    }
}

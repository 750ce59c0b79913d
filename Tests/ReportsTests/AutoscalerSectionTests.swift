import Simulation
import Testing

@testable import Reports

/// The run report's Horizontal Pod Autoscalers section: absent for runs without autoscalers;
/// per HPA a line with its bounds and extremes and a table of its rescales.
struct AutoscalerSectionTests {
    @Test func sectionOnlyForRunsWithAutoscalers() throws {
        var r = Fixture.record()
        #expect(AutoscalerSection.section(r)?.id == nil)
        var web = AutoscalerResult(
            name: "shop/web", target: "deployment/shop/web", minReplicas: 3, maxReplicas: 24, initialReplicas: 3)
        web.rescales = [
            .init(at: 75, from: 3, to: 6, utilization: 128, demandMillicores: 2_300),
            .init(at: 3_725.5, from: 24, to: 20, utilization: nil, demandMillicores: 9_150),
        ]
        web.maxReplicasReached = 24
        web.hitMaxReplicas = true
        web.secondsAtMax = 1_230
        web.maxPendingPods = 1
        web.peakUtilization = 128
        web.peakUtilizationAt = 75
        let batch = AutoscalerResult(
            name: "", target: "statefulset/shop/batch", minReplicas: 2, maxReplicas: 2, initialReplicas: 2)
        r.autoscalers = [web, batch]

        let section = try #require(AutoscalerSection.section(r))
        #expect(section.title == "Horizontal Pod Autoscalers")
        // web: heading, line, chart, table; the load without an HPA: heading and line only.
        #expect(section.blocks.count == 6)
        guard case .heading(let title) = section.blocks[0], case .paragraph(let line) = section.blocks[1],
            case .chart(let chart) = section.blocks[2], case .table(let rescales) = section.blocks[3],
            case .paragraph(let fixed) = section.blocks[5]
        else {
            Issue.record("expected heading, line, chart, table, heading, line"); return
        }
        #expect(chart.kind == "hpa-replicas" && chart.id == "hpa-replicas-0")
        #expect(title == "shop/web")
        #expect(
            line.plain
                == "Target deployment/shop/web, replicas 3–24: 3 at start, up to 24; at maxReplicas for 20m30s; "
                + "peak CPU 128 % of requests at 1:15.0; up to 1 pod Pending for want of room.")
        #expect(
            rescales.rows.map { $0.map(\.plain) } == [
                ["1:15.0", "3 → 6", "128 %", "2.3"],
                ["1:02:05.5", "24 → 20", "— (bounds)", "9.15"],
            ])
        #expect(
            fixed.plain
                == "Target statefulset/shop/batch has no HorizontalPodAutoscaler: replicas fixed at 2; no CPU measured.")
    }
}

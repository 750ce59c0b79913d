import KubeModel

/// NodeResourcesBalancedAllocation (noderesources/balanced_allocation.go): favours nodes whose
/// resource fractions stay close: `(1 − std) · 100` truncated, f = min(requested / allocatable, 1),
/// std = |f₁ − f₂| / 2 for two resources, the population standard deviation for more.
///
/// Requests as they are (no non-zero defaults); skipped for a pod that requests none of the
/// resources.
struct BalancedAllocation: ScorePlugin {
    let name = "NodeResourcesBalancedAllocation"
    var resources = ResourceWeight.defaults

    func preScore(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState) -> Bool {
        resources.contains { ResourceAllocation.podRequest(pod, $0.name, nonZero: false) > 0 }
    }

    func score(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState, into scores: inout [Int64]) {
        let requests = resources.map { ResourceAllocation.podRequest(pod, $0.name, nonZero: false) }
        if resources.count == 2 && resources[0].name == "cpu" && resources[1].name == "memory" {
            // The default resources: straight from the nodes' fields.
            let podCPU = requests[0], podMemory = requests[1]
            let capacity = ctx.capacity
            for (j, n) in feasible.enumerated() {
                let allocCPU = capacity[n].milliCPU, allocMemory = capacity[n].memoryBytes
                let (cpu, memory) = ctx.requestedCPUAndMemory(n, nonZero: false)
                var f0 = 0.0, f1 = 0.0, count = 0
                if allocCPU != 0 { f0 = min(Double(cpu + podCPU) / Double(allocCPU), 1); count += 1 }
                if allocMemory != 0 {
                    let f = min(Double(memory + podMemory) / Double(allocMemory), 1)
                    if count == 0 { f0 = f } else { f1 = f }
                    count += 1
                }
                let std = count == 2 ? abs(f0 - f1) / 2 : 0
                scores[j] = Int64((1 - std) * Double(Framework.maxNodeScore))
            }
            return
        }
        for (j, n) in feasible.enumerated() {
            if resources.count <= 2 {
                // The same arithmetic without an array per node.
                var f0 = 0.0, f1 = 0.0, count = 0
                for (i, r) in resources.enumerated() {
                    let (alloc, req) = ResourceAllocation.allocatableAndRequested(
                        ctx, n, resource: r.name, podRequest: requests[i],
                        useRequested: true)
                    guard alloc != 0 else { continue }
                    let f = min(Double(req) / Double(alloc), 1)
                    if count == 0 { f0 = f } else { f1 = f }
                    count += 1
                }
                let std = count == 2 ? abs(f0 - f1) / 2 : 0
                scores[j] = Int64((1 - std) * Double(Framework.maxNodeScore))
                continue
            }
            var fractions: [Double] = []
            for (i, r) in resources.enumerated() {
                let (alloc, req) = ResourceAllocation.allocatableAndRequested(
                    ctx, n, resource: r.name, podRequest: requests[i],
                    useRequested: true)
                guard alloc != 0 else { continue }
                fractions.append(min(Double(req) / Double(alloc), 1))
            }
            scores[j] = BalancedAllocation.score(fractions: fractions)
        }
    }

    static func score(fractions: [Double]) -> Int64 {
        var std = 0.0
        if fractions.count == 2 {
            std = abs(fractions[0] - fractions[1]) / 2
        } else if fractions.count > 2 {
            let mean = fractions.reduce(0, +) / Double(fractions.count)
            std = (fractions.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(fractions.count)).squareRoot()
        }
        return Int64((1 - std) * Double(Framework.maxNodeScore))
    }
}

import KubeModel

/// NodeResourcesBalancedAllocation (noderesources/balanced_allocation.go): favours nodes
/// whose resource fractions stay close: `(1 − std) · 100` truncated, f = min(requested /
/// allocatable, 1), std = |f₁ − f₂| / 2 for two resources, the population standard
/// deviation for more. Requests as they are (no non-zero defaults); skipped for a pod
/// that requests none of the resources.
struct BalancedAllocation: ScorePlugin {
    let name = "NodeResourcesBalancedAllocation"
    var resources = ResourceWeight.defaults

    func preScore(_ pod: SimPod, _ feasible: [SimNode], _ ctx: SchedulingContext, _ state: CycleState) -> Bool {
        resources.contains { ResourceAllocation.podRequest(pod, $0.name, nonZero: false) > 0 }
    }

    func score(_ pod: SimPod, _ node: SimNode, _ ctx: SchedulingContext, _ state: CycleState) -> Int64 {
        if resources.count <= 2 {
            // The usual cpu + memory: the same arithmetic without an array per node.
            var f0 = 0.0, f1 = 0.0, n = 0
            for r in resources {
                let (alloc, req) = ResourceAllocation.allocatableAndRequested(
                    node, pod, resource: r.name, podRequest: ResourceAllocation.podRequest(pod, r.name, nonZero: false),
                    useRequested: true)
                guard alloc != 0 else { continue }
                let f = min(Double(req) / Double(alloc), 1)
                if n == 0 { f0 = f } else { f1 = f }
                n += 1
            }
            let std = n == 2 ? abs(f0 - f1) / 2 : 0
            return Int64((1 - std) * Double(Framework.maxNodeScore))
        }
        var fractions: [Double] = []
        for r in resources {
            let (alloc, req) = ResourceAllocation.allocatableAndRequested(
                node, pod, resource: r.name, podRequest: ResourceAllocation.podRequest(pod, r.name, nonZero: false),
                useRequested: true)
            guard alloc != 0 else { continue }
            fractions.append(min(Double(req) / Double(alloc), 1))
        }
        return BalancedAllocation.score(fractions: fractions)
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

import KubeModel

/// NodeResourcesFit: the pod's requests must fit the node's allocatable minus what pods
/// already there request (pods count, cpu, memory, ephemeral storage, extended resources);
/// score with LeastAllocated over cpu and memory (weights 1 and 1), using the non-zero
/// request defaults: `(allocatable − requested) · 100 / allocatable` per resource, then
/// the weighted mean, all in integer arithmetic.
struct NodeResourcesFit: FilterPlugin, ScorePlugin {
    let name = "NodeResourcesFit"
    let weight: Int64 = 1

    func filter(_ pod: SimPod, _ node: SimNode) -> String? {
        if node.pods.count + 1 > node.spec.allocatablePods { return "Too many pods" }
        let r = pod.requests, a = node.spec.allocatable, used = node.requested
        if r.milliCPU > 0 && r.milliCPU > a.milliCPU - used.milliCPU { return "Insufficient cpu" }
        if r.memoryBytes > 0 && r.memoryBytes > a.memoryBytes - used.memoryBytes { return "Insufficient memory" }
        if r.ephemeralStorageBytes > 0 && r.ephemeralStorageBytes > a.ephemeralStorageBytes - used.ephemeralStorageBytes {
            return "Insufficient ephemeral-storage"
        }
        for (name, want) in r.scalar.sorted(by: { $0.key < $1.key }) where want > 0 {
            if want > (a.scalar[name] ?? 0) - (used.scalar[name] ?? 0) { return "Insufficient \(name)" }
        }
        return nil
    }

    func score(_ pod: SimPod, _ node: SimNode) -> Int64 {
        let a = node.spec.allocatable
        let cpu = NodeResourcesFit.leastAllocated(requested: node.nonZeroRequested.milliCPU + pod.nonZeroRequests.milliCPU,
                                                  allocatable: a.milliCPU)
        let mem = NodeResourcesFit.leastAllocated(requested: node.nonZeroRequested.memoryBytes + pod.nonZeroRequests.memoryBytes,
                                                  allocatable: a.memoryBytes)
        var total: Int64 = 0, weights: Int64 = 0
        if let cpu { total += cpu; weights += 1 }
        if let mem { total += mem; weights += 1 }
        return weights == 0 ? 0 : total / weights
    }

    /// nil when the node has none of the resource (the resource is then left out).
    static func leastAllocated(requested: Int64, allocatable: Int64) -> Int64? {
        guard allocatable > 0 else { return nil }
        if requested > allocatable { return 0 }
        return (allocatable - requested) * Framework.maxNodeScore / allocatable
    }
}

/// NodeResourcesBalancedAllocation: favours nodes whose cpu and memory fractions stay
/// close: `(1 − |f_cpu − f_mem| / 2) · 100`, f = min(requested / allocatable, 1), using the
/// requests as they are (no non-zero defaults); skipped for pods that request nothing.
struct BalancedAllocation: ScorePlugin {
    let name = "NodeResourcesBalancedAllocation"
    let weight: Int64 = 1

    func skip(_ pod: SimPod) -> Bool { pod.requests.milliCPU == 0 && pod.requests.memoryBytes == 0 }

    func score(_ pod: SimPod, _ node: SimNode) -> Int64 {
        let a = node.spec.allocatable
        var fractions: [Double] = []
        if a.milliCPU > 0 {
            fractions.append(min(Double(node.requested.milliCPU + pod.requests.milliCPU) / Double(a.milliCPU), 1))
        }
        if a.memoryBytes > 0 {
            fractions.append(min(Double(node.requested.memoryBytes + pod.requests.memoryBytes) / Double(a.memoryBytes), 1))
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

import KubeModel

/// NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go).
///
/// Filter: the pod's requests must fit the node's allocatable minus what the pods there
/// request (pods count, cpu, memory, ephemeral storage, extended resources); every
/// missing resource is a reason. Score: LeastAllocated (default), MostAllocated or
/// RequestedToCapacityRatio over the configured resources and weights, with the non-zero
/// request defaults for cpu and memory (100m, 200 MiB), integer arithmetic as upstream.
struct NodeResourcesFit: FilterPlugin, ScorePlugin {
    let name = "NodeResourcesFit"
    var args = NodeResourcesFitArgs()

    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        let r = pod.requests
        if r.ephemeralStorageBytes == 0 && r.scalar.isEmpty {
            // The usual pod (cpu and memory): decide without building the reasons.
            let a = ctx.nodes[node].spec.allocatable
            let (cpu, memory) = ctx.requestedCPUAndMemory(node, nonZero: false)
            if ctx.podCount(node) + 1 <= ctx.nodes[node].spec.allocatablePods
                && !(r.milliCPU > 0 && r.milliCPU > a.milliCPU - cpu)
                && !(r.memoryBytes > 0 && r.memoryBytes > a.memoryBytes - memory)
            {
                return nil
            }
        }
        let reasons = insufficient(pod, node, ctx)
        return reasons.isEmpty ? nil : FilterFailure(reasons: reasons)
    }

    func filterAll(
        _ pod: SimPod, _ nodes: [Int], _ ctx: SchedulingContext, _ state: CycleState, into verdicts: inout FilterVerdicts
    ) {
        let r = pod.requests
        let cpu = r.milliCPU, memory = r.memoryBytes
        let usual = r.ephemeralStorageBytes == 0 && r.scalar.isEmpty
        let capacity = ctx.capacity
        for j in nodes.indices where !verdicts.isRejected(j) {
            let n = nodes[j]
            if usual {
                // The usual pod (cpu and memory): decide without building the reasons.
                let (usedCPU, usedMemory) = ctx.requestedCPUAndMemory(n, nonZero: false)
                let c = capacity[n]
                if ctx.podCount(n) + 1 <= c.pods && !(cpu > 0 && cpu > c.milliCPU - usedCPU)
                    && !(memory > 0 && memory > c.memoryBytes - usedMemory)
                {
                    continue
                }
            }
            let reasons = insufficient(pod, n, ctx)
            if !reasons.isEmpty { verdicts.reject(j, FilterFailure(reasons: reasons), plugin: name) }
        }
    }

    func insufficient(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext) -> [String] {
        var reasons: [String] = []
        if ctx.podCount(node) + 1 > ctx.nodes[node].spec.allocatablePods { reasons.append("Too many pods") }
        let r = pod.requests, a = ctx.nodes[node].spec.allocatable, used = ctx.requested(node)
        if r.milliCPU == 0 && r.memoryBytes == 0 && r.ephemeralStorageBytes == 0 && r.scalar.values.allSatisfy({ $0 == 0 }) {
            return reasons
        }
        if r.milliCPU > 0 && r.milliCPU > a.milliCPU - used.milliCPU { reasons.append("Insufficient cpu") }
        if r.memoryBytes > 0 && r.memoryBytes > a.memoryBytes - used.memoryBytes { reasons.append("Insufficient memory") }
        if r.ephemeralStorageBytes > 0 && r.ephemeralStorageBytes > a.ephemeralStorageBytes - used.ephemeralStorageBytes {
            reasons.append("Insufficient ephemeral-storage")
        }
        for (name, want) in r.scalar.sorted(by: { $0.key < $1.key }) where want > 0 && !args.ignoredResources.contains(name) {
            if want > (a.scalar[name] ?? 0) - (used.scalar[name] ?? 0) { reasons.append("Insufficient \(name)") }
        }
        return reasons
    }

    func score(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState, into scores: inout [Int64]) {
        let requests = args.resources.map { ResourceAllocation.podRequest(pod, $0.name, nonZero: true) }
        if args.strategy != .RequestedToCapacityRatio {
            let f = args.strategy == .LeastAllocated ? NodeResourcesFit.leastRequested : NodeResourcesFit.mostRequested
            if args.resources.count == 2 && args.resources[0].name == "cpu" && args.resources[1].name == "memory" {
                // The default resources: straight from the nodes' fields.
                let wc = args.resources[0].weight, wm = args.resources[1].weight
                let least = args.strategy == .LeastAllocated
                let podCPU = requests[0], podMemory = requests[1]
                let capacity = ctx.capacity
                for (j, n) in feasible.enumerated() {
                    let allocCPU = capacity[n].milliCPU, allocMemory = capacity[n].memoryBytes
                    let (cpu, memory) = ctx.requestedCPUAndMemory(n, nonZero: true)
                    var total: Int64 = 0, weightSum: Int64 = 0
                    if allocCPU != 0 {
                        let r = cpu + podCPU
                        total +=
                            (least ? NodeResourcesFit.leastRequested(r, allocCPU) : NodeResourcesFit.mostRequested(r, allocCPU))
                            * wc
                        weightSum += wc
                    }
                    if allocMemory != 0 {
                        let r = memory + podMemory
                        total +=
                            (least
                                ? NodeResourcesFit.leastRequested(r, allocMemory)
                                : NodeResourcesFit.mostRequested(r, allocMemory)) * wm
                        weightSum += wm
                    }
                    scores[j] = weightSum == 0 ? 0 : total / weightSum
                }
                return
            }
            // `weighted` computed as the resources come, without the three arrays.
            for (j, n) in feasible.enumerated() {
                var total: Int64 = 0, weightSum: Int64 = 0
                for (i, r) in args.resources.enumerated() {
                    let (alloc, req) = ResourceAllocation.allocatableAndRequested(
                        ctx, n, resource: r.name, podRequest: requests[i],
                        useRequested: false)
                    guard alloc != 0 else { continue }
                    total += f(req, alloc) * r.weight
                    weightSum += r.weight
                }
                scores[j] = weightSum == 0 ? 0 : total / weightSum
            }
            return
        }
        for (j, n) in feasible.enumerated() { scores[j] = score(requests, n, ctx) }
    }

    func score(_ requests: [Int64], _ node: Int, _ ctx: SchedulingContext) -> Int64 {
        var requested: [Int64] = [], allocatable: [Int64] = [], weights: [Int64] = []
        for (i, r) in args.resources.enumerated() {
            let (alloc, req) = ResourceAllocation.allocatableAndRequested(
                ctx, node, resource: r.name, podRequest: requests[i],
                useRequested: false)
            guard alloc != 0 else { continue }
            allocatable.append(alloc); requested.append(req); weights.append(r.weight)
        }
        switch args.strategy {
        case .LeastAllocated: return NodeResourcesFit.weighted(requested, allocatable, weights, NodeResourcesFit.leastRequested)
        case .MostAllocated: return NodeResourcesFit.weighted(requested, allocatable, weights, NodeResourcesFit.mostRequested)
        case .RequestedToCapacityRatio:
            return NodeResourcesFit.requestedToCapacityRatio(requested, allocatable, weights, shape: args.shape)
        }
    }

    /// Σ score_r · w_r / Σ w_r, integer division.
    static func weighted(_ req: [Int64], _ alloc: [Int64], _ w: [Int64], _ f: (Int64, Int64) -> Int64) -> Int64 {
        var total: Int64 = 0, weightSum: Int64 = 0
        for i in req.indices where alloc[i] != 0 {
            total += f(req[i], alloc[i]) * w[i]
            weightSum += w[i]
        }
        return weightSum == 0 ? 0 : total / weightSum
    }

    /// `(capacity − requested) · 100 / capacity`; 0 when over capacity.
    static func leastRequested(_ requested: Int64, _ capacity: Int64) -> Int64 {
        if capacity == 0 || requested > capacity { return 0 }
        return (capacity - requested) * Framework.maxNodeScore / capacity
    }

    /// `min(requested, capacity) · 100 / capacity`.
    static func mostRequested(_ requested: Int64, _ capacity: Int64) -> Int64 {
        if capacity == 0 { return 0 }
        return min(requested, capacity) * Framework.maxNodeScore / capacity
    }

    /// The broken-linear shape over utilization (shape scores ×10), weights counted only for
    /// resources that score above 0, then `math.Round` of the weighted mean.
    static func requestedToCapacityRatio(
        _ req: [Int64], _ alloc: [Int64], _ w: [Int64],
        shape: [(utilization: Int64, score: Int64)]
    ) -> Int64 {
        let points = shape.map { ($0.utilization, $0.score * Framework.maxNodeScore / 10) }
        func resourceScore(_ r: Int64, _ c: Int64) -> Int64 {
            if c == 0 || r > c { return brokenLinear(points, 100) }
            return brokenLinear(points, r * 100 / c)
        }
        var total: Int64 = 0, weightSum: Int64 = 0
        for i in req.indices where alloc[i] != 0 {
            let s = resourceScore(req[i], alloc[i])
            if s > 0 { total += s * w[i]; weightSum += w[i] }
        }
        return weightSum == 0 ? 0 : Int64((Double(total) / Double(weightSum)).rounded())
    }

    /// `helper.BuildBrokenLinearFunction`: constant before the first and after the last
    /// point, linear (integer) in between.
    static func brokenLinear(_ shape: [(Int64, Int64)], _ p: Int64) -> Int64 {
        for i in shape.indices where p <= shape[i].0 {
            if i == 0 { return shape[0].1 }
            let (u0, s0) = shape[i - 1], (u1, s1) = shape[i]
            return s0 + (s1 - s0) * (p - u0) / (u1 - u0)
        }
        return shape.last?.1 ?? 0
    }
}

/// The requested/allocatable pair per resource that the resource scorers use
/// (noderesources/resource_allocation.go).
enum ResourceAllocation {
    /// The pod's request for one resource; with `nonZero`, cpu and memory left unset in
    /// a container count as 100m and 200 MiB.
    static func podRequest(_ pod: SimPod, _ resource: String, nonZero: Bool) -> Int64 {
        let r = nonZero ? pod.nonZeroRequests : pod.requests
        switch resource {
        case "cpu": return r.milliCPU
        case "memory": return r.memoryBytes
        case "ephemeral-storage": return pod.requests.ephemeralStorageBytes
        default: return pod.requests.scalar[resource] ?? 0
        }
    }

    /// (allocatable, node's requested + pod's request); (0, 0) for an extended resource the
    /// pod does not request, so that it is left out.
    static func allocatableAndRequested(
        _ ctx: SchedulingContext, _ node: Int, resource: String, podRequest: Int64,
        useRequested: Bool
    ) -> (Int64, Int64) {
        let a = ctx.nodes[node].spec.allocatable
        switch resource {
        case "cpu": return (a.milliCPU, ctx.requestedCPUAndMemory(node, nonZero: !useRequested).0 + podRequest)
        case "memory": return (a.memoryBytes, ctx.requestedCPUAndMemory(node, nonZero: !useRequested).1 + podRequest)
        case "ephemeral-storage": return (a.ephemeralStorageBytes, ctx.requested(node).ephemeralStorageBytes + podRequest)
        default:
            if podRequest == 0 { return (0, 0) }
            guard let alloc = a.scalar[resource] else { return (0, 0) }
            return (alloc, (ctx.requested(node).scalar[resource] ?? 0) + podRequest)
        }
    }
}

import KubeModel

/// Node allocatable per platform, from the providers' published reservations.
///
/// Allocatable is capacity − kube-reserved − system-reserved − the hard eviction threshold. What
/// pods can request is the allocatable, not the machine's size, and the platforms reserve
/// differently, so the same workload needs different machines. Pure functions, tested against
/// worked examples.
public enum Allocatable {
    public static let mebibyte: Int64 = 1024 * 1024
    public static let gibibyte: Int64 = 1024 * mebibyte

    /// kubelet `--eviction-hard` memory.available default (100Mi), which every platform here keeps.
    public static let evictionHardMemoryBytes: Int64 = 100 * mebibyte
    /// kubelet `--max-pods` default.
    public static let defaultMaxPods = 110

    /// CPU GKE and EKS reserve, in millicores.
    ///
    /// Both use the same tiers (GKE plan-node-sizes, amazon-eks-ami bootstrap): 6 % of the first
    /// core, 1 % of the second, 0.5 % of cores 3–4, 0.25 % of every core above 4. Millicores,
    /// rounded down (0.25 % of a core is 2.5m).
    public static func managedCPUReservedMilli(vcpu: Int) -> Int64 {
        guard vcpu > 0 else { return 0 }
        var tenthsOfMilli: Int64 = 0
        for core in 1...vcpu {
            switch core {
            case 1: tenthsOfMilli += 600
            case 2: tenthsOfMilli += 100
            case 3, 4: tenthsOfMilli += 50
            default: tenthsOfMilli += 25
            }
        }
        return tenthsOfMilli / 10
    }

    /// Memory GKE reserves, in bytes.
    ///
    /// From cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes: 255 MiB on machines
    /// under 1 GiB; else 25 % of the first 4 GiB, 20 % of the next 4, 10 % of the next 8, 6 % of
    /// the next 112 and 2 % of the rest. Bytes, rounded down.
    public static func gkeMemoryReservedBytes(memoryBytes: Int64) -> Int64 {
        if memoryBytes < gibibyte { return 255 * mebibyte }
        let tiers: [(size: Int64?, percent: Int64)] = [
            (4 * gibibyte, 25), (4 * gibibyte, 20), (8 * gibibyte, 10),
            (112 * gibibyte, 6), (nil, 2),
        ]
        var left = memoryBytes, reserved: Int64 = 0
        for t in tiers where left > 0 {
            let part = t.size.map { min($0, left) } ?? left
            reserved += part * t.percent / 100
            left -= part
        }
        return reserved
    }

    /// Memory the EKS AMIs reserve for kube-reserved: 11 MiB per pod the node may run + 255 MiB
    /// (awslabs/amazon-eks-ami, `memory_mebibytes_to_reserve`).
    public static func eksMemoryReservedBytes(maxPods: Int) -> Int64 {
        Int64(11 * maxPods + 255) * mebibyte
    }

    /// A node's allocatable and how it was derived.
    public struct Result: Sendable, Equatable {
        public var allocatable: Resources
        public var pods: Int
        public var reserved: Resources
        /// One sentence: the formula and its source, for notes and reports.
        public var basis: String
    }

    /// Allocatable of `type` under `distribution`.
    public static func node(_ type: InstanceType, distribution: Distribution) -> Result {
        let capacity = Resources(milliCPU: Int64(type.vcpu) * 1000, memoryBytes: type.memoryBytes)
        var reserved = Resources(memoryBytes: evictionHardMemoryBytes)
        let pods: Int, basis: String
        switch distribution {
        case .gke:
            reserved.milliCPU += managedCPUReservedMilli(vcpu: type.vcpu)
            reserved.memoryBytes += gkeMemoryReservedBytes(memoryBytes: type.memoryBytes)
            pods = type.maxPods ?? defaultMaxPods
            basis = "GKE reservation (CPU 6/1/0.5/0.25 % tiers, memory 25/20/10/6/2 % tiers) + eviction-hard 100Mi"
        case .eks:
            pods = type.maxPods ?? defaultMaxPods
            reserved.milliCPU += managedCPUReservedMilli(vcpu: type.vcpu)
            reserved.memoryBytes += eksMemoryReservedBytes(maxPods: pods)
            basis =
                "EKS AMI reservation (CPU tiers as GKE, memory 11 MiB × \(pods) max pods + 255 MiB) + eviction-hard 100Mi"
                + (type.maxPods == nil ? "; max pods unknown for \(type.id), 110 assumed" : "")
        case .lke:
            pods = defaultMaxPods
            basis = "LKE does not publish its reservation: kubelet defaults assumed (eviction-hard 100Mi, 110 pods)"
        case .k3s, .rke2, .microk8s, .talos:
            pods = defaultMaxPods
            basis = "\(distribution.rawValue) kubelet defaults: no kube/system reservation, eviction-hard 100Mi, 110 pods"
        }
        var allocatable = capacity
        allocatable.subtract(reserved)
        return Result(allocatable: allocatable, pods: pods, reserved: reserved, basis: basis)
    }

    /// What a K3S server process itself uses (API server, controller manager, scheduler and etcd in one process).
    ///
    /// Measured ~6 % of a core and 1606 MB RSS with embedded etcd
    /// (docs.k3s.io/reference/resource-profiling, K3s 1.26.5). K3S reserves none of it, so a
    /// schedulable server's allocatable overstates what pods can safely use; the planner subtracts
    /// it.
    public static let k3sServerFootprint = Resources(milliCPU: 60, memoryBytes: 1606 * mebibyte)

    /// The capacity the planner counts on: the allocatable, less the K3S server footprint on
    /// K3S servers, less `headroomPercent` of CPU and memory.
    public static func planned(
        _ type: InstanceType, distribution: Distribution, server: Bool,
        headroomPercent: Double = 0
    ) -> Resources {
        var r = node(type, distribution: distribution).allocatable
        if server && distribution == .k3s { r.subtract(k3sServerFootprint) }
        if headroomPercent > 0 {
            let keep = max(0, 1 - headroomPercent / 100)
            r.milliCPU = Int64((Double(r.milliCPU) * keep).rounded(.down))
            r.memoryBytes = Int64((Double(r.memoryBytes) * keep).rounded(.down))
        }
        r.milliCPU = max(0, r.milliCPU)
        r.memoryBytes = max(0, r.memoryBytes)
        return r
    }
}

import Catalog
import KubeModel
import Simulation

/// What a namespace or a workload costs of the machines it runs on.
public struct AllocationRow: Codable, Sendable, Equatable {
    public var name: String
    public var cpuCores: Double
    public var memoryGiB: Double
    public var monthly: Double
}

/// The machines' monthly cost split over what the pods request, with the rest shown apart.
public struct CostAllocationReport: Codable, Sendable, Equatable {
    /// "namespace" or "workload".
    public var by: String
    public var currency: String
    public var rows: [AllocationRow]
    /// What nobody requests: capacity left free and what the kubelet and system reserve.
    public var idle: Double
    /// The machines' total; rows + idle.
    public var machines: Double
    public var notes: [String]
}

/// Cost allocation as OpenCost does it from requests.
///
/// Each machine's price is split into a price per vCPU and per GiB in the ratio of OpenCost's
/// default prices for a node priced as a whole (opencost `configs/default.json`, "Default prices
/// based on GCP us-central1": CPU 0.031611 per vCPU-hour, RAM 0.004237 per GiB-hour); a pod costs
/// its requests at its node's rates, and what no pod requests is idle. Volumes, network and
/// services are not allocated.
public enum CostAllocation {
    public enum Key: String, Sendable, CaseIterable { case namespace, workload }

    static let cpuWeight = 0.031611
    static let ramWeight = 0.004237

    public static func allocate(
        _ option: CostOption, nodes: [NodeSpec], placements: [PodPlacement],
        catalog: ProviderCatalog, by key: Key
    ) -> CostAllocationReport {
        var rates: [String: (cpu: Double, ram: Double)] = [:]
        var machines = 0.0
        var notes: [String] = []
        for n in nodes {
            guard let type = n.labels["node.kubernetes.io/instance-type"], let t = catalog.instanceType(type),
                let price = machinePrice(option, type: type)
            else {
                notes.append("\(n.name): no priced machine type, left out of the allocation")
                continue
            }
            machines += price
            let cores = Double(t.vcpu), gib = t.memoryGiB
            let weight = cores * cpuWeight + gib * ramWeight
            rates[n.name] = (price * cpuWeight / weight, price * ramWeight / weight)
        }
        var rows: [String: AllocationRow] = [:]
        for p in placements {
            guard let r = rates[p.node] else { continue }
            let cores = Double(p.request.milliCPU) / 1000, gib = Double(p.request.memoryBytes) / Double(1 << 30)
            let name = key == .namespace ? p.namespace : p.workload
            var row = rows[name] ?? AllocationRow(name: name, cpuCores: 0, memoryGiB: 0, monthly: 0)
            row.cpuCores += cores
            row.memoryGiB += gib
            row.monthly += cores * r.cpu + gib * r.ram
            rows[name] = row
        }
        let sorted = rows.values.sorted { ($1.monthly, $0.name) < ($0.monthly, $1.name) }
        let allocated = sorted.reduce(0) { $0 + $1.monthly }
        return CostAllocationReport(
            by: key.rawValue, currency: option.currency, rows: sorted,
            idle: machines - allocated, machines: machines, notes: notes)
    }

    /// One machine of `type` a month, from the option's compute line for that type.
    static func machinePrice(_ option: CostOption, type: String) -> Double? {
        let line = option.items.first { item in
            item.category == "compute" && item.priced && item.quantity > 0
                && item.item.split(separator: " ").contains { $0 == type }
        }
        return line.map { $0.converted / $0.quantity }
    }
}

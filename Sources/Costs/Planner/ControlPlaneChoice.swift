import Catalog

/// The servers of a self-managed control plane in a plan.
///
/// They are the scenario's own when they can still be ordered in the region, else the cheapest
/// orderable type that meets K3S's sizing (2 vCPU / 4 GB handles up to 350 agents; k3s-io/docs
/// installation/requirements.md), said in a note. Managed distributions have none.
enum ControlPlaneChoice {
    static let minVCPU = 2
    static let minMemoryGiB = 4.0

    static func choose(
        _ r: PlanRequest, _ pc: ProviderCatalog, _ region: Region,
        _ notes: inout [String]
    ) throws -> ControlPlaneLayout? {
        guard !r.distribution.isManaged else { return nil }
        // From a managed scenario: three servers with embedded etcd when its control plane is
        // highly available, else one server on SQLite (K3S's default), like for like.
        var cp =
            r.controlPlane
            ?? (r.controlPlaneHA
                ? ControlPlaneLayout(count: 3, type: "", zones: [], datastore: "embedded-etcd", schedulable: false)
                : ControlPlaneLayout(count: 1, type: "", zones: [], datastore: "sqlite", schedulable: false))
        let regionZones = region.zones.map(\.id)
        var zones = cp.zones.filter { regionZones.contains($0) }
        if zones.isEmpty { zones = regionZones }
        let wanted = pc.instanceType(cp.type)
        if let t = wanted, usable(t, pc, region, zones) {
            cp.type = t.id
            cp.zones = zones
            return cp
        }
        let fallback = pc.instanceTypes
            .filter { $0.vcpu >= minVCPU && $0.memoryGiB >= minMemoryGiB && usable($0, pc, region, zones) }
            .min { (listMonthly($0, region.id) ?? .infinity, $0.id) < (listMonthly($1, region.id) ?? .infinity, $1.id) }
        guard let f = fallback else {
            throw CostError(
                "no orderable \(pc.provider) type with ≥ \(minVCPU) vCPU and \(num(minMemoryGiB)) GB in \(zones.joined(separator: ", ")) for the control plane"
            )
        }
        let why: String
        if let t = wanted, !t.orderable {
            why = "\(t.id) is not available for new orders (\(t.availability?.asOf ?? "see catalog"))"
        } else if wanted != nil {
            why = "\(cp.type) is not offered and priced in every zone of \(region.id)"
        } else {
            why = cp.type.isEmpty ? "the scenario has no self-managed control plane" : "\(cp.type) is not a \(pc.provider) type"
        }
        notes.append(
            "Control plane: \(why); \(cp.count) × \(f.id) instead, the cheapest orderable type with ≥ \(minVCPU) vCPU "
                + "and \(num(minMemoryGiB)) GB (K3S sizing: 2 vCPU / 4 GB serve up to 350 agents).")
        cp.type = f.id
        cp.zones = zones
        return cp
    }

    static func usable(_ t: InstanceType, _ pc: ProviderCatalog, _ region: Region, _ zones: [String]) -> Bool {
        t.orderable && t.price(region: region.id, basis: .new) != nil
            && zones.allSatisfy { pc.offers(t, zone: $0, region: region.id) }
    }

    /// A month at list price, for ranking only (billing rules decide the real figure).
    static func listMonthly(_ t: InstanceType, _ region: String) -> Double? {
        guard let p = t.price(region: region, basis: .new) else { return nil }
        switch (p.perHour, p.perMonth) {
        case (let h?, let m?): return min(h * 730, m)
        case (let h?, nil): return h * 730
        case (nil, let m?): return m
        default: return nil
        }
    }
}

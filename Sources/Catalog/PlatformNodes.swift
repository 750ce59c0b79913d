import KubeModel

/// A platform layout that does not match the catalog (unknown type, region or zone).
public struct PlatformError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Turns a platform layout into nodes, named and placed as DESIGN.md says: servers
/// `server-<i>` and pool nodes `<pool>-<i>`, round-robin over their zones.
public enum PlatformNodes {
    public struct Built: Sendable {
        public var nodes: [NodeSpec]
        /// Node name → catalog zone id (Hetzner location, availability zone, Linode region).
        public var zoneOf: [String: String]
        /// Node name → instance type.
        public var typeOf: [String: InstanceType]
    }

    /// `capacity` replaces the platform's allocatable (the planner's headroom and footprints).
    public static func build(
        _ p: PlatformSpec, catalog pc: ProviderCatalog,
        capacity: ((InstanceType, NodeRole) -> Resources)? = nil
    ) throws -> Built {
        guard let region = pc.region(p.region) else {
            throw PlatformError(
                "\(p.region) is not a \(pc.provider) region (known: \(pc.regions.map(\.id).joined(separator: ", ")))")
        }
        var built = Built(nodes: [], zoneOf: [:], typeOf: [:])
        /// A zone of the region; on Hetzner any location (clusters may span network zones).
        func zone(_ id: String) throws -> Zone {
            let all = p.provider == .hetzner ? pc.regions.flatMap(\.zones) : region.zones
            guard let z = all.first(where: { $0.id == id }) else {
                throw PlatformError(
                    "\(id) is not a zone of \(region.id) (zones: \(region.zones.map(\.id).joined(separator: ", ")))")
            }
            return z
        }
        func type(_ id: String) throws -> InstanceType {
            guard let t = pc.instanceType(id) else { throw PlatformError("\(id) is not a \(pc.provider) type in the catalog") }
            return t
        }
        func add(
            name: String, t: InstanceType, zoneID: String, role: NodeRole, pool: String,
            labels: [String: String], taints: [Taint]
        ) throws {
            let z = try zone(zoneID)
            built.nodes.append(
                NodeFactory.node(
                    name: name, type: t, zone: z, region: region, provider: p.provider,
                    distribution: p.distribution, role: role, pool: pool, labels: labels,
                    taints: taints, allocatable: capacity?(t, role)))
            built.zoneOf[name] = zoneID
            built.typeOf[name] = t
        }
        let defaultZones = region.zones.map(\.id)
        if let cp = p.controlPlane {
            let t = try type(cp.type)
            let zones = cp.zones.isEmpty ? [defaultZones[0]] : cp.zones
            for i in 0..<cp.count {
                try add(
                    name: "server-\(i)", t: t, zoneID: zones[i % zones.count],
                    role: .server(datastore: cp.datastore, schedulable: cp.schedulable), pool: "control-plane",
                    labels: [:], taints: [])
            }
        }
        for pool in p.pools {
            let t = try type(pool.type)
            let zones = pool.zones.isEmpty ? [defaultZones[0]] : pool.zones
            for i in 0..<max(0, pool.count) {
                try add(
                    name: "\(pool.name)-\(i)", t: t, zoneID: zones[i % zones.count], role: .agent, pool: pool.name,
                    labels: pool.labels, taints: pool.taints)
            }
        }
        return built
    }
}

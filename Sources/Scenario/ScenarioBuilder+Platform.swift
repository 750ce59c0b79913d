import Catalog
import Foundation
import KubeModel
import Simulation

/// Platforms beyond K3S on Hetzner: the distribution and provider are checked, nodes are
/// built from the shipped catalogs (types, zones, the platform's allocatable and labels,
/// `NodeFactory`), and the layout is kept as a `PlatformSpec` for costing and planning.
/// K3S on Hetzner keeps the original path (K3sPreset, HetznerCatalog), which builds the same
/// nodes.
extension ScenarioBuilder {
    var usesK3sHetznerPreset: Bool { spec.platform.distribution == "k3s" && spec.platform.provider == "hetzner" }

    /// The distribution and provider, checked against each other and the rest of the file.
    func platformKinds() throws -> (Distribution, Provider) {
        let path: [PathKey] = [.key("platform")]
        guard let d = Distribution(rawValue: spec.platform.distribution) else {
            throw fail(
                path + [.key("distribution")],
                "\"\(spec.platform.distribution)\" is not a distribution ("
                    + Distribution.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        guard let p = Provider(rawValue: spec.platform.provider) else {
            throw fail(
                path + [.key("provider")],
                "\"\(spec.platform.provider)\" is not a provider ("
                    + Provider.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        if let m = d.managedBy, m != p {
            throw fail(path + [.key("provider")], "\(d.rawValue) runs on \(m.rawValue), not \(p.rawValue)")
        }
        if d == .eks, spec.managedControlPlane?.highAvailability == false {
            throw fail(
                [.key("controlPlane"), .key("highAvailability")],
                "EKS's control plane is always highly available (AWS runs it over three availability zones): remove highAvailability: false"
            )
        }
        if d != .k3s, !spec.platform.disable.isEmpty {
            throw fail(path + [.key("disable")], "lists K3S's bundled components; \(d.rawValue) has none of them")
        }
        return (d, p)
    }

    func providerCatalog(_ p: Provider) throws -> ProviderCatalog {
        let catalog: PriceCatalog
        do { catalog = try PriceCatalog.shipped() } catch { throw ScenarioError(file: "k3sim", message: "\(error)") }
        guard let pc = catalog.provider(p) else {
            throw ScenarioError(file: "k3sim", message: "no \(p.rawValue) catalog shipped")
        }
        return pc
    }

    /// The region: Hetzner's network zone (given, or that of the first location used); the
    /// provider's region otherwise, required once the scenario names machines.
    func regionID(_ pc: ProviderCatalog, provider: Provider) throws -> String {
        let path: [PathKey] = [.key("platform"), .key("region")]
        let firstLocation = spec.controlPlane?.locations.first ?? spec.nodePools.lazy.compactMap(\.locations.first).first
        if let r = spec.platform.region {
            if pc.region(r) != nil { return r }
            if let owner = pc.region(ofZone: r) { return owner.id }
            throw fail(
                path, "\"\(r)\" is not a \(provider.rawValue) region (known: \(pc.regions.map(\.id).joined(separator: ", ")))")
        }
        if provider == .hetzner { return firstLocation.flatMap { pc.region(ofZone: $0)?.id } ?? "eu-central" }
        if let z = firstLocation, let owner = pc.region(ofZone: z) { return owner.id }
        if spec.controlPlane == nil && spec.nodePools.isEmpty { return pc.regions.first?.id ?? "" }
        throw fail(path, "\(provider.rawValue) needs a region (known: \(pc.regions.map(\.id).joined(separator: ", ")))")
    }

    /// The scenario's platform as plain values, with every type and zone checked.
    func platformSpec(minor: Int) throws -> PlatformSpec {
        let (d, p) = try platformKinds()
        let pc = try providerCatalog(p)
        let regionID = try regionID(pc, provider: p)
        guard let region = pc.region(regionID) else {
            throw fail([.key("platform"), .key("region")], "the \(p.rawValue) catalog has no region \"\(regionID)\"")
        }
        func type(_ name: String, _ path: [PathKey]) throws -> InstanceType {
            guard let t = pc.instanceType(name) else {
                throw fail(
                    path, "unknown \(p.rawValue) type \"\(name)\" (known: \(pc.instanceTypes.map(\.id).joined(separator: ", ")))")
            }
            return t
        }
        /// Zones of the region where `t` is offered; on Hetzner any location (a cluster may
        /// span network zones, as K3S servers often do), default the type's first location.
        func zones(_ given: [String], _ t: InstanceType, _ path: [PathKey]) throws -> [String] {
            let candidates = p == .hetzner ? pc.regions.flatMap(\.zones) : region.zones
            let offered = candidates.map(\.id).filter { z in
                pc.offers(t, zone: z, region: pc.region(ofZone: z)?.id ?? region.id)
            }
            guard !offered.isEmpty else { throw fail(path, "\(t.id) is not offered in \(region.id)") }
            if given.isEmpty { return p == .hetzner ? [t.offeredIn.first { offered.contains($0) } ?? offered[0]] : offered }
            for (i, z) in given.enumerated() {
                guard candidates.contains(where: { $0.id == z }) else {
                    throw fail(
                        path + [.index(i)],
                        "\"\(z)\" is not a \(p == .hetzner ? "Hetzner location" : "zone of \(region.id)") ("
                            + candidates.map(\.id).joined(separator: ", ") + ")")
                }
                guard offered.contains(z) else {
                    throw fail(path + [.index(i)], "\(t.id) is not offered in \(z) (only \(offered.joined(separator: ", ")))")
                }
            }
            return given
        }
        var cpLayout: ControlPlaneLayout?
        if let cp = spec.controlPlane {
            let path: [PathKey] = [.key("controlPlane")]
            let t = try type(cp.serverType, path + [.key("serverType")])
            cpLayout = ControlPlaneLayout(
                count: cp.count, type: t.id, zones: try zones(cp.locations, t, path + [.key("locations")]),
                datastore: cp.datastore, schedulable: cp.schedulable)
        }
        var pools: [PoolLayout] = []
        for (i, pool) in spec.nodePools.enumerated() {
            let path: [PathKey] = [.key("nodePools"), .index(i)]
            let t = try type(pool.serverType, path + [.key("serverType")])
            pools.append(
                PoolLayout(
                    name: pool.name, type: t.id, count: pool.count,
                    zones: try zones(pool.locations, t, path + [.key("locations")]),
                    labels: pool.labels, taints: pool.taints))
        }
        return PlatformSpec(
            distribution: d, provider: p, region: regionID, kubernetesMinor: minor, controlPlane: cpLayout,
            pools: pools, explicitNodes: spec.nodes.map(\.name), costs: spec.costs ?? CostSettings(),
            managedHighAvailability: spec.managedControlPlane?.highAvailability)
    }

    /// Nodes of the control plane and the pools for every platform but K3S on Hetzner.
    func platformNodes(minor: Int) throws -> [NodeSpec] {
        let layout = try platformSpec(minor: minor)
        if let cp = spec.controlPlane, cp.count < 1 {
            throw fail([.key("controlPlane"), .key("count")], "needs at least 1 server")
        }
        for (i, pool) in spec.nodePools.enumerated() where pool.count < 0 {
            throw fail([.key("nodePools"), .index(i), .key("count")], "must be 0 or more")
        }
        do {
            return try PlatformNodes.build(layout, catalog: try providerCatalog(layout.provider)).nodes
        } catch let e as PlatformError {
            throw fail([.key("platform")], e.message)
        }
    }

    /// The scenario's own workloads (manifests and inline objects, no system pods).
    func userWorkloads() throws -> Workloads { try loadWorkloads(includeSystem: false) }
}

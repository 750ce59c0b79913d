import Catalog

/// Hetzner Cloud server types and the location facts the hcloud cloud controller manager puts on nodes.
///
/// The types are read from the shipped price catalog, `hetzner.json`, the one list of types, shapes
/// and locations. Only the shape is needed here; prices come with the Costs module.
public enum HetznerCatalog {
    public struct ServerType: Sendable {
        public let name: String
        public let vcpu: Int
        public let memoryGiB: Int
        public let arch: String
        public let locations: [String]
    }

    public static let serverTypes: [String: ServerType] = {
        // The shipped catalog is part of the binary; a broken one is a build defect, which
        // CatalogTests catch.
        guard let hetzner = try? PriceCatalog.shipped().providers["hetzner"] else { return [:] }
        var d: [String: ServerType] = [:]
        for t in hetzner.instanceTypes {
            d[t.id] = ServerType(name: t.id, vcpu: t.vcpu, memoryGiB: Int(t.memoryGiB), arch: t.arch, locations: t.offeredIn)
        }
        return d
    }()

    /// Location → datacenter, the `topology.kubernetes.io/zone` the hcloud CCM sets
    /// (region = location, zone = datacenter).
    public static let datacenters: [String: String] = [
        "fsn1": "fsn1-dc14", "nbg1": "nbg1-dc3", "hel1": "hel1-dc2", "ash": "ash-dc1", "hil": "hil-dc1", "sin": "sin-dc1",
    ]

    /// Location → network zone.
    public static let networkZones: [String: String] = [
        "fsn1": "eu-central", "nbg1": "eu-central", "hel1": "eu-central", "ash": "us-east", "hil": "us-west",
        "sin": "ap-southeast",
    ]
}

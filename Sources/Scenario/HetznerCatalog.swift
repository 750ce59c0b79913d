/// Hetzner Cloud server types and locations (shared/reference/pricing-catalog.json, as of
/// 2026-09-04). Only the shape is needed here; prices come with the Costs module.
public enum HetznerCatalog {
    public struct ServerType: Sendable {
        public let name: String
        public let vcpu: Int
        public let memoryGiB: Int
        public let arch: String
        public let locations: [String]
    }

    static let eu = ["fsn1", "nbg1", "hel1"]
    static let euSin = ["fsn1", "nbg1", "hel1", "sin"]
    static let us = ["ash", "hil"]
    static let all = ["fsn1", "nbg1", "hel1", "ash", "hil", "sin"]

    public static let serverTypes: [String: ServerType] = {
        let rows: [(String, Int, Int, String, [String])] = [
            ("cax11", 2, 4, "arm64", eu), ("cax21", 4, 8, "arm64", eu), ("cax31", 8, 16, "arm64", eu),
            ("cax41", 16, 32, "arm64", eu),
            ("cx23", 2, 4, "amd64", eu), ("cx33", 4, 8, "amd64", eu), ("cx43", 8, 16, "amd64", eu),
            ("cx53", 16, 32, "amd64", eu),
            ("cpx12", 1, 2, "amd64", euSin), ("cpx22", 2, 4, "amd64", euSin), ("cpx32", 4, 8, "amd64", euSin),
            ("cpx42", 8, 16, "amd64", euSin), ("cpx52", 12, 24, "amd64", euSin), ("cpx62", 16, 32, "amd64", euSin),
            ("cpx11", 2, 2, "amd64", us), ("cpx21", 3, 4, "amd64", us), ("cpx31", 4, 8, "amd64", us),
            ("cpx41", 8, 16, "amd64", us), ("cpx51", 16, 32, "amd64", us),
            ("ccx13", 2, 8, "amd64", all), ("ccx23", 4, 16, "amd64", all), ("ccx33", 8, 32, "amd64", all),
            ("ccx43", 16, 64, "amd64", all), ("ccx53", 32, 128, "amd64", all), ("ccx63", 48, 192, "amd64", all),
        ]
        var d: [String: ServerType] = [:]
        for r in rows { d[r.0] = ServerType(name: r.0, vcpu: r.1, memoryGiB: r.2, arch: r.3, locations: r.4) }
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

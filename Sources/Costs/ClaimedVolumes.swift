import Catalog
import KubeModel
import Simulation

/// A PersistentVolumeClaim the workload makes: a standalone claim, one per StatefulSet
/// replica and template, or one per CloudNativePG instance.
public struct ClaimedVolume: Sendable, Equatable {
    /// `namespace/name` of the owner (claim, StatefulSet or CNPG Cluster).
    public var owner: String
    public var count: Int
    public var storageBytes: Int64
    /// As written; nil: the cluster's default class.
    public var storageClass: String?

    public init(owner: String, count: Int, storageBytes: Int64, storageClass: String? = nil) {
        self.owner = owner; self.count = count; self.storageBytes = storageBytes; self.storageClass = storageClass
    }

    /// Providers size block volumes in whole GiB (their "GB") with a minimum size.
    public func billedGB(minimum: Double) -> Double {
        max(minimum, (Double(storageBytes) / Double(1 << 30)).rounded(.up))
    }

    /// Every claim of a workload, in manifest order.
    public static func of(_ w: Workloads) -> [ClaimedVolume] {
        func name(_ m: ObjectMeta) -> String { "\(m.namespace)/\(m.name)" }
        var out: [ClaimedVolume] = []
        for c in w.persistentVolumeClaims {
            out.append(
                ClaimedVolume(owner: name(c.metadata), count: 1, storageBytes: c.storageBytes, storageClass: c.storageClassName))
        }
        for s in w.statefulSets where s.replicas > 0 {
            for t in s.volumeClaimTemplates {
                out.append(
                    ClaimedVolume(
                        owner: "\(name(s.metadata))/\(t.metadata.name)", count: s.replicas,
                        storageBytes: t.storageBytes, storageClass: t.storageClassName))
            }
        }
        for c in w.cnpgClusters {
            out.append(
                ClaimedVolume(
                    owner: name(c.metadata), count: c.instances, storageBytes: c.storageBytes,
                    storageClass: c.storageClass))
        }
        return out
    }
}

/// Block storage for the claimed volumes, per provider.
///
/// Hetzner Volumes, EBS gp3, GCE pd-balanced, Linode Block Storage. On Hetzner, claims of K3S's
/// `local-path` class live on the servers' own disks, included in the server price.
enum VolumeBilling {
    /// Catalog item and smallest volume (GB) per provider: Hetzner Volumes 10 GB
    /// (docs.hetzner.com/cloud/volumes), EBS gp3 1 GiB, pd-balanced 10 GB, Linode Block
    /// Storage 10 GB (each provider's volume documentation).
    static func product(_ p: Provider) -> (id: String, name: String, minimumGB: Double) {
        switch p {
        case .hetzner: return ("volume", "Hetzner Volumes", 10)
        case .aws: return ("ebs-gp3", "EBS gp3", 1)
        case .gcp: return ("pd-balanced", "pd-balanced", 10)
        case .linode: return ("block-storage", "Linode Block Storage", 10)
        }
    }

    static let nodeLocalClasses: Set<String> = ["local-path"]

    static func bill(_ input: CostInput, _ pc: ProviderCatalog, _ ledger: inout Ledger) {
        let (id, product, minimum) = product(input.provider)
        var gb = 0.0, claims = 0, localGB = 0.0
        var parts: [String] = []
        for v in input.volumes where v.count > 0 {
            let cls = v.storageClass ?? input.defaultStorageClass
            let size = v.billedGB(minimum: minimum)
            if input.provider == .hetzner, let cls, nodeLocalClasses.contains(cls) {
                localGB += size * Double(v.count)
                continue
            }
            gb += size * Double(v.count)
            claims += v.count
            parts.append("\(v.owner) \(v.count) × \(num(size)) GB")
        }
        if gb > 0 {
            ledger.add(
                item: pc.item(id, region: input.region), id: id,
                name: "\(product): persistent volumes (\(claims) claim\(claims == 1 ? "" : "s"))", category: "storage",
                quantity: gb, unit: "GB-month", basis: parts.joined(separator: " + "), region: input.region)
        }
        if localGB > 0 {
            ledger.notes.append(
                "\(num(localGB)) GB of claims on local-path live on the servers' own disks (included in the server price).")
        }
    }
}

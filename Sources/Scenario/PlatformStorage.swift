import Catalog
import KubeModel
import Simulation

/// The StorageClasses each platform ships and the provisioners that run on it, and the classes a scenario's manifests add.
///
/// A class from the manifests provisions only when its provisioner runs on the platform; otherwise
/// its claims stay Pending, as on a real cluster.
///
/// Sources: K3S bundles local-path-provisioner with the default class `local-path` (k3s-io/k3s
/// `manifests/local-storage.yaml`, WaitForFirstConsumer); the hcloud CSI driver's `hcloud-volumes`
/// (hetznercloud/csi-driver chart: `csi.hetzner.cloud`, WaitForFirstConsumer, default class); EKS's
/// `gp2` (`kubernetes.io/aws-ebs`, served through the EBS CSI driver, WaitForFirstConsumer),
/// without the default annotation on clusters created at 1.30 or later (EKS 1.30 release notes);
/// GKE's `standard-rwo` (default) and `premium-rwo` (`pd.csi.storage.gke.io`, WaitForFirstConsumer)
/// and `standard` (Immediate); LKE's `linode-block-storage` and `linode-block-storage-retain`
/// (default, `linodebs.csi.linode.com`, Immediate; volumes live in the cluster's one region).
enum PlatformStorage {
    static let ebs = "ebs.csi.aws.com", pd = "pd.csi.storage.gke.io", linode = "linodebs.csi.linode.com"

    /// In-tree provisioner names that CSI migration hands to a CSI driver
    /// (pkg/controller/volume/persistentvolume `provisionClaimOperationExternal`).
    static let migratedToCSI = ["kubernetes.io/aws-ebs": ebs, "kubernetes.io/gce-pd": pd]

    static func csiName(_ provisioner: String) -> String { migratedToCSI[provisioner] ?? provisioner }

    /// How volumes of a provisioner are placed and attached; nil for provisioners of no platform.
    static func volumeShape(_ provisioner: String) -> (topology: StorageClassSpec.Topology, attachable: Bool)? {
        switch csiName(provisioner) {
        case StorageClassSpec.localPath.provisioner: return (.node, false)
        case StorageClassSpec.hcloudVolumes.provisioner: return (.location, true)
        case ebs, pd: return (.zone, true)
        case linode: return (.none, true)
        default: return nil
        }
    }

    /// The platform's class for network block volumes (one node at a time), if it has one.
    static func blockStorageClass(_ d: Distribution, _ p: Provider) -> String? {
        switch d {
        case .eks: return "gp2"
        case .gke: return "standard-rwo"
        case .lke: return "linode-block-storage-retain"
        default: return p == .hetzner ? StorageClassSpec.hcloudVolumes.name : nil
        }
    }

    static func platformClasses(_ d: Distribution, _ p: Provider, minor: Int) -> StorageSpec {
        var classes: [StorageClassSpec] = [], defaultClass: String?
        if p == .hetzner { classes.append(.hcloudVolumes); defaultClass = StorageClassSpec.hcloudVolumes.name }
        if d == .k3s { classes.append(.localPath); defaultClass = StorageClassSpec.localPath.name }
        func cls(_ name: String, _ provisioner: String, wait: Bool) -> StorageClassSpec {
            let shape = volumeShape(provisioner) ?? (.none, false)
            return StorageClassSpec(
                name: name, topology: shape.topology, attachable: shape.attachable,
                provisioner: provisioner, waitForFirstConsumer: wait)
        }
        switch d {
        case .eks:
            classes.append(cls("gp2", "kubernetes.io/aws-ebs", wait: true))
            defaultClass = minor < 30 ? "gp2" : nil
        case .gke:
            classes += [
                cls("standard-rwo", pd, wait: true), cls("premium-rwo", pd, wait: true),
                cls("standard", "kubernetes.io/gce-pd", wait: false),
            ]
            defaultClass = "standard-rwo"
        case .lke:
            classes += [
                cls("linode-block-storage", linode, wait: false), cls("linode-block-storage-retain", linode, wait: false),
            ]
            defaultClass = "linode-block-storage-retain"
        default: break
        }
        return StorageSpec(classes: classes, defaultClass: defaultClass)
    }

    /// The platform's classes with the manifests' applied over them.
    ///
    /// A manifest class replaces a platform class of the same name; the last class marked default
    /// is the default (`GetDefaultClass` picks the newest since 1.26). Its provisioner runs when a
    /// platform class uses the same one.
    static func storage(platform: StorageSpec, manifests: [StorageClassManifest]) -> StorageSpec {
        var result = platform
        let running = Set(platform.classes.map { csiName($0.provisioner) })
        for m in manifests {
            let shape = volumeShape(m.provisioner) ?? (.none, false)
            let spec = StorageClassSpec(
                name: m.metadata.name, topology: shape.topology, attachable: shape.attachable,
                provisioner: m.provisioner, waitForFirstConsumer: m.waitForFirstConsumer,
                provisionerRuns: running.contains(csiName(m.provisioner)))
            result.classes.removeAll { $0.name == spec.name }
            result.classes.append(spec)
        }
        if let d = manifests.last(where: \.isDefault) { result.defaultClass = d.metadata.name }
        return result
    }
}

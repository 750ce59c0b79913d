import SimKernel

/// How a storage class provisions and attaches volumes.
public struct StorageClassSpec: Sendable, Equatable {
    public enum Topology: String, Sendable, Equatable {
        /// Bound to the location (region label) of the first consumer's node: Hetzner Cloud
        /// volumes (csi.hetzner.cloud, WaitForFirstConsumer).
        case location
        /// Bound to the zone of the first consumer's node: EBS and Persistent Disk volumes.
        case zone
        /// Bound to the first consumer's node: K3S local-path (the data lives on that disk).
        case node
        /// Reachable from every node (e.g. NFS, or a block volume of a one-region cluster).
        case none

        /// The node label whose value a provisioned volume is bound to, if any.
        public var nodeLabel: String? {
            switch self {
            case .location: return "topology.kubernetes.io/region"
            case .zone: return "topology.kubernetes.io/zone"
            case .node, .none: return nil
            }
        }
    }
    public var name: String
    public var topology: Topology
    /// Attached by the attach/detach controller (CSI ControllerPublish), one node at a time for RWO.
    public var attachable: Bool
    /// Hetzner API attach/detach action.
    ///
    /// Assumption: 5 s each; Hetzner does not document how long an attach or detach action takes.
    public var attachTime: SimTime
    public var detachTime: SimTime
    /// Attachable volumes per node (hcloud: 16, unverified).
    public var maxVolumesPerNode: Int
    /// `provisioner` of the StorageClass object.
    public var provisioner: String
    /// `volumeBindingMode: WaitForFirstConsumer`; false is `Immediate`, the API default.
    public var waitForFirstConsumer: Bool
    /// Whether the provisioner runs on the cluster: a class whose provisioner nobody runs
    /// exists in the API, but its claims are never provisioned and stay Pending.
    public var provisionerRuns: Bool

    public init(
        name: String, topology: Topology, attachable: Bool, attachTime: SimTime = .seconds(5),
        detachTime: SimTime = .seconds(5), maxVolumesPerNode: Int = 16, provisioner: String = "",
        waitForFirstConsumer: Bool = true, provisionerRuns: Bool = true
    ) {
        self.name = name; self.topology = topology; self.attachable = attachable
        self.attachTime = attachTime; self.detachTime = detachTime; self.maxVolumesPerNode = maxVolumesPerNode
        self.provisioner = provisioner; self.waitForFirstConsumer = waitForFirstConsumer
        self.provisionerRuns = provisionerRuns
    }

    /// The PV controller's ExternalProvisioning event on a claim waiting for `provisioner`
    /// (pkg/controller/volume/persistentvolume/pv_controller.go).
    public static func externalProvisioningMessage(_ provisioner: String) -> String {
        "Waiting for a volume to be created either by the external provisioner '\(provisioner)' or manually by the system administrator. "
            + "If volume creation is delayed, please verify that the provisioner is running and correctly registered."
    }

    public static let hcloudVolumes = StorageClassSpec(
        name: "hcloud-volumes", topology: .location, attachable: true,
        provisioner: "csi.hetzner.cloud")
    public static let localPath = StorageClassSpec(
        name: "local-path", topology: .node, attachable: false,
        attachTime: .zero, detachTime: .zero, maxVolumesPerNode: Int.max,
        provisioner: "rancher.io/local-path")
}

/// Storage configuration of a cluster.
public struct StorageSpec: Sendable, Equatable {
    public var classes: [StorageClassSpec]
    /// The default class for claims that name none (K3S ships local-path as default;
    /// with the hcloud CSI driver installed, hcloud-volumes is usually made the default);
    /// nil when no class carries the default annotation.
    public var defaultClass: String?
    /// kube-controller-manager attach/detach `maxWaitForUnmountDuration`: 6 min, hard-coded
    /// (pkg/controller/volume/attachdetach/attach_detach_controller.go).
    public var maxWaitForUnmountDuration: SimTime = .minutes(6)
    /// PodGC quarantine before force-deleting pods bound to a Node that no longer exists (40 s, unverified).
    public var orphanPodQuarantine: SimTime = .seconds(40)
    /// PodGC period (gcCheckPeriod 20 s).
    public var podGCPeriod: SimTime = .seconds(20)

    public init(classes: [StorageClassSpec] = [.hcloudVolumes, .localPath], defaultClass: String? = "local-path") {
        self.classes = classes; self.defaultClass = defaultClass
    }

    /// The class of a claim's `storageClassName`: nil names the default class (the
    /// DefaultStorageClass admission plugin fills it in), "" no class at all.
    public func storageClass(_ name: String?) -> StorageClassSpec? {
        guard let n = name ?? defaultClass else { return nil }
        return classes.first { $0.name == n }
    }
}

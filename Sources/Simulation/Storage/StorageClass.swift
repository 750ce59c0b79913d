import SimKernel

/// How a storage class provisions and attaches volumes.
public struct StorageClassSpec: Sendable, Equatable {
    public enum Topology: String, Sendable, Equatable {
        /// Bound to the location (region label) of the first consumer's node: Hetzner Cloud
        /// volumes (csi.hetzner.cloud, WaitForFirstConsumer).
        case location
        /// Bound to the first consumer's node: K3S local-path (the data lives on that disk).
        case node
        /// Reachable from every node (e.g. NFS).
        case none
    }
    public var name: String
    public var topology: Topology
    /// Attached by the attach/detach controller (CSI ControllerPublish), one node at a time for RWO.
    public var attachable: Bool
    /// Hetzner API attach/detach action. Assumption: 5 s each (k8s-facts §8.3, unverified).
    public var attachTime: SimTime
    public var detachTime: SimTime
    /// Attachable volumes per node (hcloud: 16, unverified).
    public var maxVolumesPerNode: Int

    public init(name: String, topology: Topology, attachable: Bool, attachTime: SimTime = .seconds(5),
                detachTime: SimTime = .seconds(5), maxVolumesPerNode: Int = 16) {
        self.name = name; self.topology = topology; self.attachable = attachable
        self.attachTime = attachTime; self.detachTime = detachTime; self.maxVolumesPerNode = maxVolumesPerNode
    }

    public static let hcloudVolumes = StorageClassSpec(name: "hcloud-volumes", topology: .location, attachable: true)
    public static let localPath = StorageClassSpec(name: "local-path", topology: .node, attachable: false,
                                                   attachTime: .zero, detachTime: .zero, maxVolumesPerNode: Int.max)
}

/// Storage configuration of a cluster.
public struct StorageSpec: Sendable, Equatable {
    public var classes: [StorageClassSpec]
    /// The default class for claims that name none (K3S ships local-path as default;
    /// with the hcloud CSI driver installed, hcloud-volumes is usually made the default).
    public var defaultClass: String
    /// kube-controller-manager attach/detach `maxWaitForUnmountDuration`: 6 min, hard-coded
    /// (pkg/controller/volume/attachdetach/attach_detach_controller.go).
    public var maxWaitForUnmountDuration: SimTime = .minutes(6)
    /// PodGC quarantine before force-deleting pods bound to a Node that no longer exists (40 s, unverified).
    public var orphanPodQuarantine: SimTime = .seconds(40)
    /// PodGC period (gcCheckPeriod 20 s).
    public var podGCPeriod: SimTime = .seconds(20)

    public init(classes: [StorageClassSpec] = [.hcloudVolumes, .localPath], defaultClass: String = "local-path") {
        self.classes = classes; self.defaultClass = defaultClass
    }

    public func storageClass(_ name: String?) -> StorageClassSpec? {
        let n = name ?? defaultClass
        return classes.first { $0.name == n }
    }
}

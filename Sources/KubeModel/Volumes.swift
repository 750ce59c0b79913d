/// A pod volume: only PersistentVolumeClaim references matter to scheduling and attach;
/// every other volume type of the API is accepted and ignored.
public struct PodVolume: Hashable, Sendable, Decodable, StrictFields {
    public var name: String
    /// `persistentVolumeClaim.claimName`.
    public var claimName: String?

    public init(name: String, claimName: String?) { self.name = name; self.claimName = claimName }

    public static let typeName = "volume"
    public static let usedFields = ["name", "persistentVolumeClaim"]
    public static let ignoredFields = [
        "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
        "glusterfs", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
        "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO",
        "storageos", "csi", "ephemeral", "image",
    ]

    struct ClaimRef: Decodable, StrictFields {
        static let typeName = "persistentVolumeClaim"
        static let usedFields = ["claimName", "readOnly"]
        var claimName: String
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            claimName = try decoder.container(keyedBy: AnyCodingKey.self).req("claimName")
        }
    }

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        name = try c.req("name")
        claimName = (try c.opt("persistentVolumeClaim", as: ClaimRef.self))?.claimName
    }
}

/// `v1 PersistentVolumeClaim` (a manifest, or a StatefulSet's volumeClaimTemplate).
public struct PersistentVolumeClaim: Hashable, Sendable, Decodable, StrictFields {
    public var metadata: ObjectMeta
    public var accessModes: [String]
    public var storageClassName: String?
    public var storageBytes: Int64

    public init(
        metadata: ObjectMeta, accessModes: [String] = ["ReadWriteOnce"], storageClassName: String? = nil,
        storageBytes: Int64 = 1 << 30
    ) {
        self.metadata = metadata; self.accessModes = accessModes; self.storageClassName = storageClassName
        self.storageBytes = storageBytes
    }

    public static let usedFields = ["apiVersion", "kind", "metadata", "spec"]
    public static let ignoredFields = ["status"]

    struct Spec: Decodable, StrictFields {
        static let typeName = "PersistentVolumeClaimSpec"
        static let usedFields = ["accessModes", "storageClassName", "resources"]
        static let ignoredFields = [
            "selector", "volumeName", "volumeMode", "dataSource", "dataSourceRef", "volumeAttributesClassName",
        ]
        var accessModes: [String], storageClassName: String?, resources: ResourceRequirements?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            accessModes = try c.opt("accessModes") ?? ["ReadWriteOnce"]
            storageClassName = try c.opt("storageClassName")
            resources = try c.opt("resources")
        }
    }

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        metadata = try c.opt("metadata") ?? ObjectMeta(name: "")
        let s: Spec? = try c.opt("spec")
        accessModes = s?.accessModes ?? ["ReadWriteOnce"]
        // The beta annotation wins over the field (`GetPersistentVolumeClaimClass` in
        // k8s.io/component-helpers/storage/volume), so a claim written with it keeps its class.
        storageClassName = metadata.annotations[Self.betaStorageClassAnnotation] ?? s?.storageClassName
        storageBytes = s?.resources?.requests["storage"]?.value ?? 0
    }

    public static let betaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class"

    /// ReadWriteOnce or ReadWriteOncePod: one node at a time.
    public var singleNode: Bool { accessModes.contains("ReadWriteOnce") || accessModes.contains("ReadWriteOncePod") }
}

/// `storage.k8s.io/v1 StorageClass`: the fields that decide whether and when a claim of the
/// class is provisioned.
public struct StorageClassManifest: Hashable, Sendable, Decodable, StrictFields {
    public var metadata: ObjectMeta
    public var provisioner: String
    /// `Immediate` (the API default) or `WaitForFirstConsumer`.
    public var volumeBindingMode: String

    public static let typeName = "StorageClass"
    public static let usedFields = ["apiVersion", "kind", "metadata", "provisioner", "volumeBindingMode"]
    public static let ignoredFields = [
        "parameters", "reclaimPolicy", "mountOptions", "allowVolumeExpansion", "allowedTopologies",
    ]

    /// The annotation that makes a class the default (`storageclass.kubernetes.io/is-default-class`),
    /// and its beta spelling, which the API still honours (k8s `pkg/volume/util/storageclass`
    /// `IsDefaultAnnotation`).
    public static let defaultAnnotations = [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]

    public init(name: String, provisioner: String, volumeBindingMode: String = "Immediate", isDefault: Bool = false) {
        metadata = ObjectMeta(
            name: name, namespace: "",
            annotations: isDefault ? [Self.defaultAnnotations[0]: "true"] : [:])
        self.provisioner = provisioner; self.volumeBindingMode = volumeBindingMode
    }

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        metadata = try c.req("metadata")
        provisioner = try c.req("provisioner")
        volumeBindingMode = try c.opt("volumeBindingMode") ?? "Immediate"
    }

    public var waitForFirstConsumer: Bool { volumeBindingMode == "WaitForFirstConsumer" }
    /// Marked the cluster's default (the value must be exactly "true").
    public var isDefault: Bool { Self.defaultAnnotations.contains { metadata.annotations[$0] == "true" } }
}

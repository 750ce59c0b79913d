/// `metav1.ObjectMeta`: the parts a simulation needs.
public struct ObjectMeta: Hashable, Sendable, Decodable, StrictFields {
    public var name: String
    public var namespace: String
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(
        name: String, namespace: String = "default", labels: [String: String] = [:],
        annotations: [String: String] = [:]
    ) {
        self.name = name; self.namespace = namespace; self.labels = labels; self.annotations = annotations
    }

    public static let usedFields = ["name", "namespace", "labels", "annotations", "generateName"]
    public static let ignoredFields = [
        "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "ownerReferences", "finalizers", "managedFields",
    ]
    enum CodingKeys: String, CodingKey { case name, namespace, labels, annotations, generateName }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.opt(String.self, .name) ?? c.opt(String.self, .generateName) ?? ""
        // A namespace not given is the default namespace, as kubectl applies it.
        namespace = try c.opt(String.self, .namespace) ?? "default"
        labels = try c.opt([String: String].self, .labels) ?? [:]
        annotations = try c.opt([String: String].self, .annotations) ?? [:]
    }

    /// `namespace/name`.
    public var key: String { "\(namespace)/\(name)" }
}

/// The common head of every manifest: apiVersion and kind.
public struct TypeMeta: Decodable, Hashable, Sendable {
    public var apiVersion: String?
    public var kind: String?
}

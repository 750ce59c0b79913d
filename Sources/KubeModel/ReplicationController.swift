/// `v1 ReplicationController`: a ReplicaSet whose selector is a map of labels that must all be equal.
///
/// The API server defaults an empty selector to the template's labels
/// (`SetDefaults_ReplicationController` in k8s `pkg/apis/core/v1/defaults.go`); the replication
/// manager is the ReplicaSet controller run on it
/// (`pkg/controller/replication/replication_controller.go` `NewReplicationManager`).
public enum ReplicationController {
    public static func decode(from decoder: Decoder) throws -> ReplicaSetManifest {
        let head = try Head(from: decoder)
        let labels = head.spec.selector ?? [:]
        let template = head.spec.template
        return ReplicaSetManifest(
            metadata: head.metadata, replicas: head.spec.replicas ?? 1,
            selector: LabelSelector(matchLabels: labels.isEmpty ? template.metadata.labels : labels),
            template: template, minReadySeconds: head.spec.minReadySeconds ?? 0,
            kind: "ReplicationController")
    }

    struct Head: Decodable, StrictFields {
        static let typeName = "ReplicationController"
        static let usedFields = ["apiVersion", "kind", "metadata", "spec"]
        static let ignoredFields = ["status"]
        var metadata: ObjectMeta, spec: Spec
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            metadata = try c.req("metadata")
            spec = try c.req("spec")
        }
    }

    struct Spec: Decodable, StrictFields {
        static let typeName = "ReplicationControllerSpec"
        static let usedFields = ["replicas", "selector", "template", "minReadySeconds"]
        var replicas: Int?, selector: [String: String]?, template: PodTemplateSpec, minReadySeconds: Int?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            replicas = try c.opt("replicas")
            selector = try c.opt("selector")
            template = try c.req("template")
            minReadySeconds = try c.opt("minReadySeconds")
        }
    }
}

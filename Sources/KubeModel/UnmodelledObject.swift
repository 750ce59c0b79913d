/// An object of a kind the simulation does not model, kept so that the run can name what it leaves out.
///
/// Decoded leniently: only the name, the namespace and, for a HorizontalPodAutoscaler, what it
/// scales.
public struct UnmodelledObject: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    /// As written; empty for cluster-scoped objects and objects left in the default namespace.
    public var namespace: String
    /// A HorizontalPodAutoscaler's `scaleTargetRef` as `Kind/name`, and its bounds.
    public var scaleTarget: String?
    public var minReplicas: Int?
    public var maxReplicas: Int?
    /// A HorizontalPodAutoscaler's metrics and behaviour (nil when they do not decode).
    public var autoscaling: AutoscalerFields?
    public init(apiVersion: String, kind: String, name: String, namespace: String = "") {
        self.apiVersion = apiVersion; self.kind = kind; self.name = name; self.namespace = namespace
    }

    /// `namespace/name`, or the name alone when no namespace was written.
    public var displayName: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }

    struct Head: Decodable {
        struct Meta: Decodable { var name: String?, namespace: String? }
        struct Spec: Decodable {
            struct Target: Decodable { var kind: String?, name: String? }
            var scaleTargetRef: Target?, minReplicas: Int?, maxReplicas: Int?
        }
        var metadata: Meta?, spec: Spec?
    }

    init(apiVersion: String, kind: String, from decoder: Decoder) {
        let head = try? Head(from: decoder)
        self.init(
            apiVersion: apiVersion, kind: kind, name: head?.metadata?.name ?? "", namespace: head?.metadata?.namespace ?? "")
        guard kind == "HorizontalPodAutoscaler", let spec = head?.spec else { return }
        if let t = spec.scaleTargetRef, let k = t.kind, let n = t.name { scaleTarget = "\(k)/\(n)" }
        minReplicas = spec.minReplicas
        maxReplicas = spec.maxReplicas
        autoscaling = try? decoder.container(keyedBy: SpecKey.self).decode(AutoscalerFields.self, forKey: .spec)
    }

    private enum SpecKey: String, CodingKey { case spec }
}

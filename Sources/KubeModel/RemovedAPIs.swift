/// API versions the API server stops serving, by the Kubernetes minor that removed them.
///
/// They are the "Removed APIs by release" sections of the upstream Deprecated API Migration Guide
/// (kubernetes/website `content/en/docs/reference/using-api/deprecation-guide.md`), which restates
/// each type's `APILifecycleRemoved()` in
/// `staging/src/k8s.io/api/<group>/<version>/zz_generated.prerelease-lifecycle.go`. An object under
/// a removed version is refused by the API server ("no matches for kind"), so a manifest that uses
/// one cannot be applied to that cluster.
public struct RemovedAPI: Sendable, Equatable {
    public let apiVersion: String
    public let kinds: Set<String>
    /// The first minor (1.N) that no longer serves it.
    public let removedInMinor: Int
    /// What to write instead, as the guide says.
    public let replacement: String

    /// The removal that applies to `kind` under `apiVersion`, if any (in any version).
    public static func removal(apiVersion: String, kind: String) -> RemovedAPI? {
        table.first { $0.apiVersion == apiVersion && $0.kinds.contains(kind) }
    }

    /// The sentence a refused object gets on a cluster of minor `minor`, or nil when the
    /// version is still served there.
    public static func refusal(apiVersion: String, kind: String, minor: Int) -> String? {
        guard let r = removal(apiVersion: apiVersion, kind: kind), minor >= r.removedInMinor else { return nil }
        return
            "\(kind) \(apiVersion) is not served since Kubernetes 1.\(r.removedInMinor) (the scenario runs 1.\(minor)): \(r.replacement)"
    }

    static func entry(_ apiVersion: String, _ kinds: Set<String>, _ minor: Int, _ replacement: String) -> RemovedAPI {
        RemovedAPI(apiVersion: apiVersion, kinds: kinds, removedInMinor: minor, replacement: replacement)
    }

    public static let table: [RemovedAPI] = [
        // v1.16
        entry("extensions/v1beta1", ["DaemonSet", "Deployment", "ReplicaSet"], 16, "use apps/v1"),
        entry("apps/v1beta1", ["Deployment", "StatefulSet", "ReplicaSet"], 16, "use apps/v1"),
        entry("apps/v1beta2", ["DaemonSet", "Deployment", "StatefulSet", "ReplicaSet"], 16, "use apps/v1"),
        entry("extensions/v1beta1", ["NetworkPolicy"], 16, "use networking.k8s.io/v1"),
        entry(
            "extensions/v1beta1", ["PodSecurityPolicy"], 16, "PodSecurityPolicy is gone since 1.25; use Pod Security Admission"),
        // v1.22
        entry(
            "admissionregistration.k8s.io/v1beta1", ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"], 22,
            "use admissionregistration.k8s.io/v1"),
        entry("apiextensions.k8s.io/v1beta1", ["CustomResourceDefinition"], 22, "use apiextensions.k8s.io/v1"),
        entry("apiregistration.k8s.io/v1beta1", ["APIService"], 22, "use apiregistration.k8s.io/v1"),
        entry("authentication.k8s.io/v1beta1", ["TokenReview"], 22, "use authentication.k8s.io/v1"),
        entry(
            "authorization.k8s.io/v1beta1", ["LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview"], 22,
            "use authorization.k8s.io/v1"),
        entry("certificates.k8s.io/v1beta1", ["CertificateSigningRequest"], 22, "use certificates.k8s.io/v1"),
        entry("coordination.k8s.io/v1beta1", ["Lease"], 22, "use coordination.k8s.io/v1"),
        entry("extensions/v1beta1", ["Ingress"], 22, "use networking.k8s.io/v1"),
        entry("networking.k8s.io/v1beta1", ["Ingress", "IngressClass"], 22, "use networking.k8s.io/v1"),
        entry(
            "rbac.authorization.k8s.io/v1beta1", ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"], 22,
            "use rbac.authorization.k8s.io/v1"),
        entry("scheduling.k8s.io/v1beta1", ["PriorityClass"], 22, "use scheduling.k8s.io/v1"),
        entry(
            "storage.k8s.io/v1beta1", ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"], 22, "use storage.k8s.io/v1"),
        // v1.25
        entry("batch/v1beta1", ["CronJob"], 25, "use batch/v1"),
        entry("discovery.k8s.io/v1beta1", ["EndpointSlice"], 25, "use discovery.k8s.io/v1"),
        entry("events.k8s.io/v1beta1", ["Event"], 25, "use events.k8s.io/v1"),
        entry("autoscaling/v2beta1", ["HorizontalPodAutoscaler"], 25, "use autoscaling/v2"),
        entry("policy/v1beta1", ["PodDisruptionBudget"], 25, "use policy/v1"),
        entry(
            "policy/v1beta1", ["PodSecurityPolicy"], 25, "PodSecurityPolicy has no replacement API; use Pod Security Admission"),
        entry("node.k8s.io/v1beta1", ["RuntimeClass"], 25, "use node.k8s.io/v1"),
        // v1.26
        entry(
            "flowcontrol.apiserver.k8s.io/v1beta1", ["FlowSchema", "PriorityLevelConfiguration"], 26,
            "use flowcontrol.apiserver.k8s.io/v1"),
        entry("autoscaling/v2beta2", ["HorizontalPodAutoscaler"], 26, "use autoscaling/v2"),
        // v1.27
        entry("storage.k8s.io/v1beta1", ["CSIStorageCapacity"], 27, "use storage.k8s.io/v1"),
        // v1.29
        entry(
            "flowcontrol.apiserver.k8s.io/v1beta2", ["FlowSchema", "PriorityLevelConfiguration"], 29,
            "use flowcontrol.apiserver.k8s.io/v1"),
        // v1.32
        entry(
            "flowcontrol.apiserver.k8s.io/v1beta3", ["FlowSchema", "PriorityLevelConfiguration"], 32,
            "use flowcontrol.apiserver.k8s.io/v1"),
    ]
}

import Foundation
import KubeModel
import Simulation
import Testing

@testable import Scenario

/// Every file of the real-manifest corpus (manifests written by others; sources and licences in
/// Fixtures/real-manifests/SOURCES.md) runs in a scenario — K3S 1.33 on three Hetzner CAX31
/// agents — and shows what it must: the workloads it holds, Pending pods where a claim names a
/// class nobody provisions, and a note for everything the simulation leaves out. A file
/// under an API version 1.33 no longer serves is refused.
@Suite struct RealManifestCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/real-manifests")

    struct Row: Sendable, CustomStringConvertible {
        let file: String
        var workloads: [String] = [], pending = 0
        /// Each note of the run, as a prefix, in order.
        var notes: [String] = []
        var refused: String?
        init(_ file: String, workloads: [String] = [], pending: Int = 0, notes: [String] = []) {
            self.file = file; self.workloads = workloads; self.pending = pending; self.notes = notes
        }
        init(_ file: String, refused: String) { self.file = file; self.refused = refused }
        var description: String { file }
    }

    /// The K3S system workloads every run holds besides the file's.
    static let system: Set<String> = ["coredns", "metrics-server", "local-path-provisioner", "traefik", "svclb-traefik"]
        .reduce(into: []) { $0.insert("kube-system/\($1)") }

    static func scenario(_ files: [String]) -> String {
        """
        apiVersion: k3sim/v1alpha1
        kind: Scenario
        metadata: {name: corpus}
        spec:
          duration: 10m
          platform: {distribution: k3s, provider: hetzner, kubernetesVersion: "1.33"}
          nodePools:
            - {name: agents, serverType: cax31, count: 3, locations: [fsn1]}
          workloads:

        """ + files.map { "    - file: \(corpus.appendingPathComponent($0).path)\n" }.joined()
    }

    static func run(_ files: [String]) throws -> RunRecord {
        let loaded = try ScenarioLoader.load(text: scenario(files), path: "/corpus/scenario.yaml")
        return ClusterSimulation(spec: loaded.spec).run()
    }

    @Test func everyFileHasARow() throws {
        let enumerator = FileManager.default.enumerator(atPath: Self.corpus.path)
        let files = (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        #expect(files.count == 66)
        #expect(Set(files) == Set(Self.rows.map(\.file)))
    }

    @Test(arguments: rows) func fileRunsAsItMust(_ row: Row) throws {
        let record: RunRecord
        do {
            record = try Self.run([row.file])
        } catch let e as ScenarioError {
            #expect(row.refused != nil && e.message.contains(row.refused!), "\(e)")
            return
        }
        #expect(row.refused == nil, "loaded, expected a refusal")
        let workloads = record.workloads.filter { !Self.system.contains($0.name) }.map { "\($0.kind) \($0.name)" }
        #expect(workloads == row.workloads)
        #expect(record.pendingPodsAtEnd == row.pending)
        #expect(record.notes.count == row.notes.count, "\(record.notes)")
        for (note, prefix) in zip(record.notes, row.notes) { #expect(note.hasPrefix(prefix), "\(note)") }
    }

    /// ingress-nginx's admission Jobs (create, then patch the webhook's certificate; restartPolicy
    /// OnFailure, ttlSecondsAfterFinished 0) run, complete with one pod each, and are deleted by
    /// the TTL-after-finished controller as soon as they finish.
    @Test func ingressNginxAdmissionJobsComplete() throws {
        let r = try Self.run(["ingress-nginx__deploy-static-provider-cloud__deploy.yaml"])
        let jobs = try #require(r.jobs)
        #expect(
            jobs.map(\.name) == ["ingress-nginx/ingress-nginx-admission-create", "ingress-nginx/ingress-nginx-admission-patch"])
        for j in jobs {
            #expect(j.outcome == "Complete" && j.reason == "CompletionsReached")
            #expect(j.succeeded == 1 && j.failed == 0 && j.podsCreated == 1)
            #expect(j.deletedAt == j.finishedAt)
        }
        #expect(r.workloads.allSatisfy { $0.kind != "Job" })
    }

    /// The HPA walkthrough's Deployment and its autoscaler together: the HPA is named with
    /// the replicas it leaves fixed.
    @Test func autoscalerWithItsTarget() throws {
        let r = try Self.run([
            "kubernetes-website__examples-application-php-apache.yaml",
            "kubernetes-website__examples-application-hpa__php-apache.yaml",
        ])
        #expect(
            r.notes == [
                "HorizontalPodAutoscaler php-apache: no load profile, replicas fixed at 1 for Deployment/php-apache (it would keep 1–10)."
            ])
    }

    /// kube-state-metrics' LimitRange gives its ReplicationController's container, which asks
    /// for nothing, the default request and limit (1Mi and 1000Mi of memory).
    @Test func limitRangeDefaultsReachTheWorkloads() throws {
        let loaded = try ScenarioLoader.load(
            text: Self.scenario([
                "kube-state-metrics-tests-manifests/limitrange.yaml",
                "kube-state-metrics-tests-manifests/replicationcontroller.yaml",
            ]),
            path: "/corpus/scenario.yaml")
        let rc = try #require(loaded.userWorkloads.replicaSets.first { $0.kind == "ReplicationController" })
        let resources = rc.template.spec.containers[0].resources
        #expect(resources.requests["memory"] == (try Quantity(parsing: "1Mi")))
        #expect(resources.limits["memory"] == (try Quantity(parsing: "1000Mi")))
        #expect(rc.template.spec.effectiveRequests.memoryBytes == 1 << 20)
    }

    static let rows: [Row] = [
        Row(
            "argo-cd__manifests-ha__install.yaml",
            workloads: [
                "Deployment default/argocd-applicationset-controller", "Deployment default/argocd-dex-server",
                "Deployment default/argocd-notifications-controller", "Deployment default/argocd-redis-ha-haproxy",
                "Deployment default/argocd-repo-server", "Deployment default/argocd-server",
                "StatefulSet default/argocd-application-controller", "StatefulSet default/argocd-redis-ha-server",
            ], pending: 0,
            notes: [
                "livenessProbe fails only under a fail-probe fault; else no restarts (Deployment default/argocd-notif",
                "lifecycle.preStop is not run; termination takes the shutdown timing (StatefulSet default/argocd-redi",
                "Read but not simulated (no controller here acts on them): ClusterRole ×3, ClusterRoleBinding ×3, ConfigMap ×9, CustomResourceDefinition ×3, NetworkPolicy ×8, Role ×7, RoleBinding ×7, Secret ×2, ServiceAccount ×8.",
            ]),
        Row(
            "cnpg__docs-samples__cluster-example-full.yaml", workloads: ["Cluster default/cluster-example-full"], pending: 1,
            notes: [
                "CloudNativePG Cluster default/cluster-example-full storage: storageclass.storage.k8s.io \"standard\" n",
                "Read but not simulated (no controller here acts on them): Secret ×3.",
                "CloudNativePG default/cluster-example-full: a restore from the WAL archive alone (no streaming repli",
                "Pending at the end: default/cluster-example-full-1: 0/3 nodes are available: pod has unbou",
            ]),
        Row(
            "cnpg__docs-samples__cluster-example-with-backup.yaml", workloads: ["Cluster default/cluster-example-with-backup"],
            pending: 1,
            notes: [
                "CloudNativePG Cluster default/cluster-example-with-backup storage: storageclass.storage.k8s.io \"csi-",
                "CloudNativePG default/cluster-example-with-backup: a restore from the WAL archive alone (no streamin",
                "Pending at the end: default/cluster-example-with-backup-1: 0/3 nodes are available: pod ha",
            ]),
        Row("cnpg__docs-samples__cluster-example.yaml", workloads: ["Cluster default/cluster-example"], pending: 0, notes: []),
        Row(
            "cnpg__releases__cnpg-1.30.0.yaml", workloads: ["Deployment cnpg-system/cnpg-controller-manager"], pending: 0,
            notes: [
                "livenessProbe fails only under a fail-probe fault; else no restarts (Deployment cnpg-system/cnpg-con",
                "Read but not simulated (no controller here acts on them): ClusterRole ×7, ClusterRoleBinding, ConfigMap, CustomResourceDefinition ×11, MutatingWebhookConfiguration, Namespace, ServiceAccount, ValidatingWebhookConfiguration.",
            ]),
        Row(
            "cnpg__tests-e2e-fixtures-affinity__cluster-affinity.yaml", workloads: ["Cluster default/cluster-affinity"],
            pending: 0, notes: []),
        Row(
            "external-secrets__docs-snippets__aws-sm-external-secret.yaml", workloads: [], pending: 0,
            notes: ["Custom resources that no operator runs in the simulation: ExternalSecret."]),
        Row(
            "external-secrets__docs-snippets__aws-sm-store.yaml", workloads: [], pending: 0,
            notes: ["Custom resources that no operator runs in the simulation: SecretStore."]),
        Row(
            "gcp-microservices-demo__release__kubernetes-manifests.yaml",
            workloads: [
                "Deployment default/frontend", "Deployment default/adservice", "Deployment default/currencyservice",
                "Deployment default/cartservice", "Deployment default/redis-cart", "Deployment default/loadgenerator",
                "Deployment default/recommendationservice", "Deployment default/checkoutservice",
                "Deployment default/emailservice", "Deployment default/paymentservice", "Deployment default/shippingservice",
                "Deployment default/productcatalogservice",
            ], pending: 0,
            notes: [
                "livenessProbe fails only under a fail-probe fault; else no restarts (Deployment default/frontend, De",
                "Read but not simulated (no controller here acts on them): ServiceAccount ×11.",
            ]),
        Row(
            "hetzner-csi-driver__chart-snapshots__example-prod.yaml",
            workloads: ["Deployment kube-system/hcloud-csi-controller", "DaemonSet kube-system/hcloud-csi-node"], pending: 0,
            notes: [
                "livenessProbe fails only under a fail-probe fault; else no restarts (Deployment kube-system/hcloud-c",
                "Read but not simulated (no controller here acts on them): CSIDriver, ClusterRole, ClusterRoleBinding, ServiceAccount.",
            ]),
        Row(
            "hetzner-hcloud-ccm__deploy__ccm-networks.yaml",
            workloads: ["Deployment kube-system/hcloud-cloud-controller-manager"], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): ClusterRole, ClusterRoleBinding, ServiceAccount."]),
        Row(
            "ingress-nginx__deploy-static-provider-cloud__deploy.yaml",
            workloads: ["Deployment ingress-nginx/ingress-nginx-controller"], pending: 0,
            notes: [
                "livenessProbe fails only under a fail-probe fault; else no restarts (Deployment ingress-nginx/ingres",
                "lifecycle.preStop is not run; termination takes the shutdown timing (Deployment ingress-nginx/ingres",
                "Read but not simulated (no controller here acts on them): ClusterRole ×2, ClusterRoleBinding ×2, ConfigMap, IngressClass, Namespace, Role ×2, RoleBinding ×2, ServiceAccount ×2, ValidatingWebhookConfiguration.",
            ]),
        Row(
            "knative-serving__third_party-cert-manager-latest__cert-manager-v1.18.0.yaml",
            workloads: [
                "Deployment cert-manager/cert-manager-cainjector", "Deployment cert-manager/cert-manager",
                "Deployment cert-manager/cert-manager-webhook",
            ], pending: 0,
            notes: [
                "livenessProbe fails only under a fail-probe fault; else no restarts (Deployment cert-manager/cert-ma",
                "Read but not simulated (no controller here acts on them): ClusterRole ×14, ClusterRoleBinding ×11, CustomResourceDefinition ×6, MutatingWebhookConfiguration, Namespace, Role ×4, RoleBinding ×4, ServiceAccount ×3, ValidatingWebhookConfiguration.",
            ]),
        Row(
            "kube-prometheus/alertmanager-alertmanager.yaml", workloads: [], pending: 0,
            notes: ["Custom resources that no operator runs in the simulation: Alertmanager."]),
        Row("kube-prometheus/alertmanager-podDisruptionBudget.yaml", workloads: [], pending: 0, notes: []),
        Row(
            "kube-prometheus/blackboxExporter-deployment.yaml", workloads: ["Deployment monitoring/blackbox-exporter"],
            pending: 0, notes: []),
        Row(
            "kube-prometheus/grafana-dashboardDefinitions.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): ConfigMapList."]),
        Row("kube-prometheus/grafana-deployment.yaml", workloads: ["Deployment monitoring/grafana"], pending: 0, notes: []),
        Row(
            "kube-prometheus/kubeStateMetrics-deployment.yaml", workloads: ["Deployment monitoring/kube-state-metrics"],
            pending: 0, notes: []),
        Row(
            "kube-prometheus/nodeExporter-daemonset.yaml", workloads: ["DaemonSet monitoring/node-exporter"], pending: 0,
            notes: []),
        Row(
            "kube-prometheus/nodeExporter-networkPolicy.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): NetworkPolicy."]),
        Row("kube-prometheus/nodeExporter-service.yaml", workloads: [], pending: 0, notes: []),
        Row("kube-prometheus/prometheus-podDisruptionBudget.yaml", workloads: [], pending: 0, notes: []),
        Row(
            "kube-prometheus/prometheus-prometheus.yaml", workloads: [], pending: 0,
            notes: ["Custom resources that no operator runs in the simulation: Prometheus."]),
        Row(
            "kube-prometheus/prometheusAdapter-deployment.yaml", workloads: ["Deployment monitoring/prometheus-adapter"],
            pending: 0,
            notes: ["livenessProbe fails only under a fail-probe fault; else no restarts (Deployment monitoring/prometheu"]),
        Row("kube-prometheus/prometheusAdapter-podDisruptionBudget.yaml", workloads: [], pending: 0, notes: []),
        Row(
            "kube-prometheus/prometheusOperator-deployment.yaml", workloads: ["Deployment monitoring/prometheus-operator"],
            pending: 0, notes: []),
        Row(
            "kube-state-metrics-tests-manifests/clusterole.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): ClusterRole."]),
        Row(
            "kube-state-metrics-tests-manifests/clusterrolebinding.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): ClusterRoleBinding."]),
        Row("kube-state-metrics-tests-manifests/cronjob.yaml", workloads: [], pending: 0, notes: []),
        Row(
            "kube-state-metrics-tests-manifests/csr.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): CertificateSigningRequest."]),
        Row(
            "kube-state-metrics-tests-manifests/daemonset.yaml", workloads: ["DaemonSet default/daemonset"], pending: 0, notes: []
        ),
        Row(
            "kube-state-metrics-tests-manifests/endpointslice.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): EndpointSlice."]),
        Row(
            "kube-state-metrics-tests-manifests/hpa.yaml", workloads: [], pending: 0,
            notes: ["HorizontalPodAutoscaler default/hpa: its target Deployment/deployment is not in the scenario; ignore"]),
        Row(
            "kube-state-metrics-tests-manifests/ingress.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): Ingress."]),
        Row(
            "kube-state-metrics-tests-manifests/ingressclass.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): IngressClass."]),
        Row("kube-state-metrics-tests-manifests/job.yaml", workloads: [], pending: 0, notes: []),
        Row("kube-state-metrics-tests-manifests/limitrange.yaml", workloads: [], pending: 0, notes: []),
        Row(
            "kube-state-metrics-tests-manifests/mutatingadmissionpolicy.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): MutatingAdmissionPolicy."]),
        Row(
            "kube-state-metrics-tests-manifests/mutatingadmissionpolicybinding.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): MutatingAdmissionPolicyBinding."]),
        Row(
            "kube-state-metrics-tests-manifests/mutatingwebhookconfiguration.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): MutatingWebhookConfiguration."]),
        Row(
            "kube-state-metrics-tests-manifests/networkpolicy.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): NetworkPolicy."]),
        Row(
            "kube-state-metrics-tests-manifests/persistentvolume.yaml", workloads: [], pending: 0,
            notes: ["PersistentVolume persistentvolume: pre-provisioned volumes are not bound to claims; only dynamic pro"]),
        Row(
            "kube-state-metrics-tests-manifests/persistentvolumeclaim.yaml", workloads: [], pending: 0,
            notes: ["PersistentVolumeClaim default/persistentvolumeclaim: storageclass.storage.k8s.io \"slow\" not found; t"]),
        Row("kube-state-metrics-tests-manifests/poddisruptionbudget.yaml", workloads: [], pending: 0, notes: []),
        Row(
            "kube-state-metrics-tests-manifests/replicationcontroller.yaml",
            workloads: ["ReplicationController default/replicationcontroller"], pending: 0, notes: []),
        Row(
            "kube-state-metrics-tests-manifests/resourcequota.yaml", workloads: [], pending: 0,
            notes: ["ResourceQuota default/resourcequota: only pods and their compute resources are enforced, not configm"]),
        Row(
            "kube-state-metrics-tests-manifests/role.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): Role."]),
        Row(
            "kube-state-metrics-tests-manifests/rolebinding.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): RoleBinding."]),
        Row(
            "kube-state-metrics-tests-manifests/serviceaccount.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): ServiceAccount."]),
        Row(
            "kube-state-metrics-tests-manifests/statefulset.yaml", workloads: ["StatefulSet default/statefulset"], pending: 0,
            notes: []),
        Row(
            "kube-state-metrics-tests-manifests/storageclass.yaml", workloads: [], pending: 0,
            notes: ["StorageClass storageclass: nothing runs its provisioner kubernetes.io/rbd on this platform, so claim"]),
        Row(
            "kube-state-metrics-tests-manifests/validatingadmissionpolicy.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): ValidatingAdmissionPolicy."]),
        Row(
            "kube-state-metrics-tests-manifests/validatingadmissionpolicybinding.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): ValidatingAdmissionPolicyBinding."]),
        Row(
            "kube-state-metrics-tests-manifests/validatingwebhookconfiguration.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): ValidatingWebhookConfiguration."]),
        Row(
            "kube-state-metrics-tests-manifests/volumeattachment.yaml", workloads: [], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): VolumeAttachment."]),
        Row(
            "kubernetes-examples__databases-cassandra__cassandra-statefulset.yaml", workloads: ["StatefulSet default/cassandra"],
            pending: 1,
            notes: [
                "StorageClass fast: nothing runs its provisioner k8s.io/minikube-hostpath on this platform, so claims",
                "StatefulSet default/cassandra claim template cassandra-data: Waiting for a volume to be created eith",
                "livenessProbe fails only under a fail-probe fault; else no restarts (StatefulSet default/cassandra).",
                "lifecycle.preStop is not run; termination takes the shutdown timing (StatefulSet default/cassandra).",
                "Pending at the end: default/cassandra-0: 0/3 nodes are available: pod has unbound immediat",
            ]),
        Row(
            "kubernetes-examples__web-guestbook-all-in-one__guestbook-all-in-one.yaml",
            workloads: ["Deployment default/redis-master", "Deployment default/redis-replica", "Deployment default/frontend"],
            pending: 0, notes: []),
        Row(
            "kubernetes-website__examples-application-deployment-sidecar.yaml", workloads: ["Deployment default/myapp"],
            pending: 0, notes: []),
        Row(
            "kubernetes-website__examples-application-hpa__php-apache.yaml", workloads: [], pending: 0,
            notes: ["HorizontalPodAutoscaler php-apache: its target Deployment/php-apache is not in the scenario; ignored"]),
        Row("kubernetes-website__examples-application-job__cronjob.yaml", refused: "is not served since Kubernetes 1.25"),
        Row(
            "kubernetes-website__examples-application-mysql__mysql-statefulset.yaml", workloads: ["StatefulSet default/mysql"],
            pending: 0,
            notes: ["livenessProbe fails only under a fail-probe fault; else no restarts (StatefulSet default/mysql)."]),
        Row(
            "kubernetes-website__examples-application-php-apache.yaml", workloads: ["Deployment default/php-apache"], pending: 0,
            notes: []),
        Row(
            "kubernetes-website__examples-application-zookeeper__zookeeper.yaml", workloads: ["StatefulSet default/zk"],
            pending: 0, notes: ["livenessProbe fails only under a fail-probe fault; else no restarts (StatefulSet default/zk)."]),
        Row(
            "sasin91-hcloud-k3s-platform-kit__flux-system__gotk-components.yaml",
            workloads: [
                "Deployment flux-system/source-controller", "Deployment flux-system/kustomize-controller",
                "Deployment flux-system/helm-controller", "Deployment flux-system/notification-controller",
            ], pending: 0,
            notes: [
                "livenessProbe fails only under a fail-probe fault; else no restarts (Deployment flux-system/source-c",
                "Read but not simulated (no controller here acts on them): ClusterRole ×3, ClusterRoleBinding ×2, CustomResourceDefinition ×11, Namespace, NetworkPolicy ×3, ServiceAccount ×4.",
            ]),
        Row(
            "traefik__docs-dynamic-configuration__kubernetes-gateway-traefik-lb-svc.yml",
            workloads: ["Deployment default/traefik"], pending: 0,
            notes: ["Read but not simulated (no controller here acts on them): ServiceAccount."]),
    ]
}

import Catalog
import Foundation
import KubeModel
import Simulation
import Testing

@testable import Scenario

/// StorageClasses as the API and the provisioners honour them: the platform's classes, the
/// manifests' classes whose provisioner runs there, the default-class annotation and the
/// beta claim annotation; a claim nobody provisions stays Pending with its pods, with the
/// message kube-scheduler or the PV controller gives.
@Suite struct StorageClassTests {
    struct PlatformRow: Sendable, CustomStringConvertible {
        let distribution: String, provider: String, minor: Int, classes: [String], defaultClass: String?
        var description: String { "\(distribution) on \(provider) 1.\(minor)" }
    }

    static let platforms: [PlatformRow] = [
        PlatformRow(
            distribution: "k3s", provider: "hetzner", minor: 33, classes: ["hcloud-volumes", "local-path"],
            defaultClass: "local-path"),
        PlatformRow(
            distribution: "rke2", provider: "hetzner", minor: 33, classes: ["hcloud-volumes"], defaultClass: "hcloud-volumes"),
        PlatformRow(distribution: "talos", provider: "aws", minor: 33, classes: [], defaultClass: nil),
        PlatformRow(distribution: "eks", provider: "aws", minor: 29, classes: ["gp2"], defaultClass: "gp2"),
        PlatformRow(distribution: "eks", provider: "aws", minor: 30, classes: ["gp2"], defaultClass: nil),
        PlatformRow(
            distribution: "gke", provider: "gcp", minor: 33, classes: ["standard-rwo", "premium-rwo", "standard"],
            defaultClass: "standard-rwo"),
        PlatformRow(
            distribution: "lke", provider: "linode", minor: 33,
            classes: ["linode-block-storage", "linode-block-storage-retain"], defaultClass: "linode-block-storage-retain"),
    ]

    @Test(arguments: platforms) func platformClasses(_ row: PlatformRow) throws {
        let d = try #require(Distribution(rawValue: row.distribution)), p = try #require(Provider(rawValue: row.provider))
        let storage = PlatformStorage.platformClasses(d, p, minor: row.minor)
        #expect(storage.classes.map(\.name) == row.classes)
        #expect(storage.defaultClass == row.defaultClass)
        #expect(storage.classes.allSatisfy { $0.provisionerRuns })
    }

    @Test func manifestClassesOverThePlatform() {
        let platform = PlatformStorage.platformClasses(.k3s, .hetzner, minor: 33)
        let storage = PlatformStorage.storage(
            platform: platform,
            manifests: [
                StorageClassManifest(name: "fast", provisioner: "k8s.io/minikube-hostpath"),
                StorageClassManifest(
                    name: "hcloud-retain", provisioner: "csi.hetzner.cloud", volumeBindingMode: "WaitForFirstConsumer",
                    isDefault: true),
            ])
        #expect(storage.defaultClass == "hcloud-retain")
        #expect(storage.storageClass("fast")?.provisionerRuns == false)
        #expect(storage.storageClass("fast")?.waitForFirstConsumer == false)
        let retain = storage.storageClass(nil)
        #expect(retain?.provisionerRuns == true && retain?.topology == .location && retain?.attachable == true)
        // CSI migration: an in-tree name runs where its CSI driver runs.
        let eks = PlatformStorage.storage(
            platform: PlatformStorage.platformClasses(.eks, .aws, minor: 33),
            manifests: [StorageClassManifest(name: "gp3", provisioner: "ebs.csi.aws.com")])
        #expect(eks.storageClass("gp3")?.provisionerRuns == true && eks.storageClass("gp3")?.topology == .zone)
    }

    @Test func betaAnnotationWinsOverTheField() throws {
        let objects = try ManifestLoader.load(
            text: """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: c, annotations: {volume.beta.kubernetes.io/storage-class: fast}}
                spec: {storageClassName: other, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """, path: "/m/c.yaml")
        guard case .persistentVolumeClaim(let c) = objects.first else { Issue.record("no claim"); return }
        #expect(c.storageClassName == "fast")
    }

    // MARK: whole runs on K3S on Hetzner

    static func statefulSet(claim: [String]) -> [String] {
        [
            "    - object:",
            "        apiVersion: apps/v1",
            "        kind: StatefulSet",
            "        metadata: {name: db, namespace: shop}",
            "        spec:",
            "          replicas: 2",
            "          serviceName: db",
            "          selector: {matchLabels: {app: db}}",
            "          template:",
            "            metadata: {labels: {app: db}}",
            "            spec: {containers: [{name: db, image: postgres, resources: {requests: {cpu: 100m}}}]}",
            "          volumeClaimTemplates:",
            "            - metadata: {name: data\(claim.first ?? "")}",
            "              spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}\(claim.dropFirst().first ?? "")}",
        ]
    }

    static let fastClass = [
        "    - object:",
        "        apiVersion: storage.k8s.io/v1",
        "        kind: StorageClass",
        "        metadata: {name: fast}",
        "        provisioner: k8s.io/minikube-hostpath",
    ]

    static func run(_ workloads: [String]) throws -> RunRecord {
        let text = scenario(replacing: [6: "  duration: 5m"], append: ["  workloads:"] + workloads)
        let loaded = try ScenarioLoader.load(text: text, path: "/s/storage.yaml")
        return ClusterSimulation(spec: loaded.spec).run()
    }

    /// kube-scheduler's FailedScheduling message for a PreFilter rejection, with the
    /// preemption verdict it appends (every node unresolvable).
    static let unboundImmediate =
        "Pending at the end: shop/db-0: 0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims."
        + " preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."

    func pendingNotes(_ r: RunRecord) -> [String] { r.notes.filter { $0.hasPrefix("Pending at the end: shop/db-") } }

    @Test func platformClassesProvision() throws {
        for claim in [["", ""], ["", ", storageClassName: hcloud-volumes"], ["", ", storageClassName: local-path"]] {
            let r = try Self.run(Self.statefulSet(claim: claim))
            #expect(r.pendingPodsAtEnd == 0, "\(claim): \(r.notes)")
            #expect(!r.notes.contains { $0.contains("stays Pending") })
        }
    }

    @Test func missingClassLeavesClaimAndPodsPending() throws {
        let r = try Self.run(Self.statefulSet(claim: ["", ", storageClassName: csi-hostpath-sc"]))
        // OrderedReady: the first pod never runs, so the second is never created.
        #expect(r.pendingPodsAtEnd == 1)
        #expect(pendingNotes(r) == [Self.unboundImmediate])
        #expect(
            r.notes.contains(
                "StatefulSet shop/db claim template data: storageclass.storage.k8s.io \"csi-hostpath-sc\" not found; the claim stays Pending"
                    + " and so does every pod that mounts it (StorageClasses here: hcloud-volumes, local-path (default))."))
        #expect(r.workloads.first { $0.name == "shop/db" }?.availability == 0)
    }

    @Test func emptyClassBindsOnlyToVolumesWithoutAClass() throws {
        let r = try Self.run(Self.statefulSet(claim: ["", ", storageClassName: \"\""]))
        #expect(pendingNotes(r) == [Self.unboundImmediate])
        #expect(r.notes.contains { $0.contains("no persistent volumes available for this claim and no storage class is set") })
    }

    @Test func immediateClassWithoutItsProvisioner() throws {
        // cassandra's claim template: the beta annotation names the manifest's class `fast`.
        let beta = ", annotations: {volume.beta.kubernetes.io/storage-class: fast}"
        let r = try Self.run(Self.fastClass + Self.statefulSet(claim: [beta, ""]))
        #expect(pendingNotes(r) == [Self.unboundImmediate])
        #expect(
            r.notes.contains {
                $0.hasPrefix(
                    "StatefulSet shop/db claim template data: Waiting for a volume to be created either by the external provisioner 'k8s.io/minikube-hostpath'"
                )
            })
    }

    @Test func waitForFirstConsumerClassWithoutItsProvisioner() throws {
        let wffc = Self.fastClass + ["        volumeBindingMode: WaitForFirstConsumer"]
        let r = try Self.run(wffc + Self.statefulSet(claim: ["", ", storageClassName: fast"]))
        let note = try #require(pendingNotes(r).first)
        #expect(
            note.hasPrefix(
                "Pending at the end: shop/db-0: running PreBind plugin \"VolumeBinding\": binding volumes: context deadline exceeded"
            ))
        #expect(note.contains("external provisioner 'k8s.io/minikube-hostpath'"))
        #expect(r.pendingPodsAtEnd == 1)
    }

    @Test func manifestDefaultClassTakesClaimsWithoutAClass() throws {
        let hdd = [
            "    - object:",
            "        apiVersion: storage.k8s.io/v1",
            "        kind: StorageClass",
            "        metadata: {name: nowhere, annotations: {storageclass.kubernetes.io/is-default-class: \"true\"}}",
            "        provisioner: example.com/none",
        ]
        let r = try Self.run(hdd + Self.statefulSet(claim: ["", ""]))
        #expect(r.pendingPodsAtEnd == 1)
        #expect(r.notes.contains { $0.contains("nowhere (default)") })
    }

    @Test func unknownDefaultStorageClassNamesTheKnownOnes() {
        let e = loadError(scenario(replacing: [10: "    kubernetesVersion: \"1.33\"\n    defaultStorageClass: gp3"]))
        #expect(e?.field == "spec.platform.defaultStorageClass")
        #expect(e?.message == "unknown storage class \"gp3\" (known: hcloud-volumes, local-path)")
    }
}

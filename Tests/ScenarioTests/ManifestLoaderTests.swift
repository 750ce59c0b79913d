import Foundation
import KubeModel
import Testing

@testable import Scenario

/// Manifest import: multi-document YAML and `kind: List`, strict for the kinds the
/// simulation models, anything else kept as `.other`; errors positioned in the manifest.
@Suite struct ManifestLoaderTests {
    let manifestsDirectory = scenariosDirectory.appendingPathComponent("manifests")

    func loadError(
        _ text: String, path: String = "/m/app.yaml",
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> ScenarioError? {
        do {
            let objects = try ManifestLoader.load(text: text, path: path)
            Issue.record("expected a ScenarioError, loaded \(objects.count) objects", sourceLocation: sourceLocation)
        } catch let e as ScenarioError {
            return e
        } catch {
            Issue.record("expected a ScenarioError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test func shopManifest() throws {
        let objects = try ManifestLoader.load(path: manifestsDirectory.appendingPathComponent("shop.yaml").path)
        #expect(
            objects.map(\.kind) == [
                "Namespace", "Deployment", "Deployment", "Deployment", "Deployment", "PodDisruptionBudget",
                "PodDisruptionBudget", "Service", "HorizontalPodAutoscaler", "ExternalSecret", "Cluster",
            ])
        var others: [String] = []
        for o in objects {
            if case .other(let u) = o { others.append("\(u.apiVersion)/\(u.kind)/\(u.name)") }
        }
        #expect(
            others == [
                "v1/Namespace/shop", "autoscaling/v2/HorizontalPodAutoscaler/web",
                "external-secrets.io/v1/ExternalSecret/api-secrets",
            ])
        // Services are decoded for their selector (default topology spreading).
        guard case .service(let svc) = objects[7] else { Issue.record("not a Service"); return }
        #expect(svc.selector == ["app": "web"])
        guard case .deployment(let web) = objects[1] else { Issue.record("not a Deployment"); return }
        #expect(web.metadata.key == "shop/web")
        #expect(web.replicas == 6)
        #expect(web.revisionHistoryLimit == 5)
        #expect(web.template.spec.containers.first?.image == "ghcr.io/example/shop-web:1.14.2")
    }

    @Test func platformManifest() throws {
        let objects = try ManifestLoader.load(path: manifestsDirectory.appendingPathComponent("platform.yaml").path)
        var names: [String] = []
        for o in objects { if case .deployment(let d) = o { names.append(d.metadata.key) } }
        #expect(
            names == [
                "external-secrets/external-secrets", "flux-system/source-controller",
                "flux-system/kustomize-controller", "flux-system/helm-controller",
            ])
    }

    @Test func everyShippedManifestLoads() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: manifestsDirectory.path).filter { $0.hasSuffix(".yaml") }
        #expect(!names.isEmpty)
        for name in names {
            do { _ = try ManifestLoader.load(path: manifestsDirectory.appendingPathComponent(name).path) } catch let e
                as ScenarioError
            {
                Issue.record("\(e)")
            }
        }
    }

    @Test func emptyDocumentsAndCommentsAreSkipped() throws {
        let objects = try ManifestLoader.load(
            text: """
                # leading comment
                ---
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: ns}
                spec:
                  containers: [{name: c, image: busybox}]
                ---
                # only a comment
                """, path: "/m/app.yaml")
        #expect(objects.count == 1)
        guard case .pod(let p) = objects.first else { Issue.record("not a Pod"); return }
        #expect(p.metadata.key == "ns/p")
    }

    /// A workload file must hold Kubernetes objects: an empty one is refused (loading it as no
    /// objects would run the scenario without the workloads it meant).
    @Test func emptyText() throws {
        for text in ["", "# only a comment\n", "---\n---\n"] {
            let e = loadError(text)
            expectError(e, file: "/m/app.yaml", line: nil, column: nil, field: "", contains: ["holds no Kubernetes objects"])
        }
    }

    @Test func everyModelledKind() throws {
        let objects = try ManifestLoader.load(
            text: """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec: {selector: {matchLabels: {a: d}}, template: {metadata: {labels: {a: d}}, spec: {containers: [{name: c, image: i}]}}}
                status: {replicas: 1}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: s}
                spec: {serviceName: s, selector: {matchLabels: {a: s}}, template: {metadata: {labels: {a: s}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: ds}
                spec: {selector: {matchLabels: {a: ds}}, template: {metadata: {labels: {a: ds}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: pdb}
                spec: {maxUnavailable: 1, selector: {matchLabels: {a: d}}}
                ---
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: high}
                value: 1000
                """, path: "/m/app.yaml")
        #expect(objects.map(\.kind) == ["Deployment", "StatefulSet", "DaemonSet", "PodDisruptionBudget", "PriorityClass"])
    }

    @Test func unmodelledKindsAreNotValidated() throws {
        let objects = try ManifestLoader.load(
            text: """
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: db, labels: {x: y}}
                spec: {instances: 3, whatever: {nested: [1, 2]}, storage: {size: 20Gi}}
                anyTopLevelField: true
                """, path: "/m/app.yaml")
        #expect(objects.count == 1)
        // CloudNativePG clusters are simulated; as a custom resource they are decoded leniently.
        guard case .cnpgCluster(let c) = objects[0] else { Issue.record("not a CNPG cluster"); return }
        #expect(c.metadata.name == "db" && c.instances == 3 && c.storageBytes == 20 << 30)
    }

    @Test func listItems() throws {
        let objects = try ManifestLoader.load(
            text: """
                apiVersion: v1
                kind: List
                items:
                  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}
                  - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: i}]}}
                """, path: "/m/app.yaml")
        #expect(objects.map(\.kind) == ["ConfigMap", "Pod"])
    }

    @Test func misspeltFieldInListItem() {
        let e = loadError(
            """
            apiVersion: v1
            kind: List
            items:
              - apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
              - apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  replicass: 1
            """)
        expectError(
            e, file: "/m/app.yaml", line: 11, column: 7, field: "items[1].spec.replicass",
            contains: [#"unknown field "replicass""#, #"did you mean "replicas"?"#])
    }

    @Test func misspeltFieldInSecondDocumentHasAnAbsoluteLine() {
        let e = loadError(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: s}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
                - name: c
                  image: i
              nodeSelecter: {disk: ssd}
            """)
        expectError(
            e, file: "/m/app.yaml", line: 12, column: 3, field: "spec.nodeSelecter",
            contains: [#"did you mean "nodeSelector"?"#])
    }

    @Test func wrongTypeInAManifest() {
        let e = loadError(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            spec:
              replicas: [3]
              selector: {matchLabels: {a: d}}
              template: {metadata: {labels: {a: d}}, spec: {containers: [{name: c, image: i}]}}
            """)
        expectError(e, file: "/m/app.yaml", line: 5, column: 13, field: "spec.replicas", contains: ["expected a single value"])
    }

    @Test func badQuantityInAManifest() {
        let e = loadError(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
                - name: c
                  image: i
                  resources:
                    requests: {cpu: 2 cores}
            """)
        expectError(
            e, file: "/m/app.yaml", line: 9, column: 25, field: "spec.containers[0].resources.requests.cpu",
            contains: [#""2 cores" is not a Kubernetes quantity"#])
    }

    @Test func missingApiVersion() {
        let e = loadError(
            """
            kind: Deployment
            metadata: {name: d}
            """)
        expectError(e, file: "/m/app.yaml", line: 1, column: 1, field: "", contains: [#"missing required field "apiVersion""#])
    }

    @Test func removedApiVersion() {
        let e = loadError(
            """
            apiVersion: extensions/v1beta1
            kind: Deployment
            metadata: {name: d}
            """)
        expectError(
            e, file: "/m/app.yaml", line: 1, column: 13, field: "apiVersion",
            contains: ["Deployment extensions/v1beta1 is not served since Kubernetes 1.16 (the scenario runs 1.28): use apps/v1"])
        // A modelled kind under a built-in group that never served it.
        let e2 = loadError("apiVersion: v1\nkind: Deployment\nmetadata: {name: d}\n")
        expectError(
            e2, file: "/m/app.yaml", line: 1, column: 13, field: "apiVersion",
            contains: ["Deployment is served as apps/v1, not v1"])
        // A custom resource of the same kind in a dotted group is someone else's Deployment.
        let custom = try? ManifestLoader.load(
            text: "apiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: d}\n",
            path: "/m/app.yaml")
        if case .other(let u)? = custom?.first, u.kind == "Deployment", u.name == "d" {
            #expect(u.apiVersion == "example.com/v1")
        } else {
            Issue.record("a Deployment of example.com/v1 should load as .other, got \(String(describing: custom))")
        }
    }

    @Test func invalidYAML() {
        let e = loadError(
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
             namespace: x
            """)
        expectError(e, file: "/m/app.yaml", line: 5, column: 2, field: "", contains: ["invalid YAML"])
    }

    @Test func invalidYAMLInALaterDocument() {
        // The first document is fine; the error in the second must not be dropped with it.
        let e = loadError(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec: {containers: [{name: c, image: i}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: q
            spec: {containers: [{name: c, image: i}]}
            """)
        #expect(e?.line == 9, "\(String(describing: e))")
        #expect(e?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func duplicateKeyInALaterDocument() {
        let e = loadError(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: s}
            ---
            apiVersion: v1
            kind: Pod
            kind: Pod
            """)
        expectError(
            e, file: "/m/app.yaml", line: 7, column: 1, field: "kind",
            contains: [#"duplicate key "kind" (first at line 6, column 1)"#])
    }

    @Test func duplicateKeyInAManifest() {
        let e = loadError(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers: [{name: c, image: i}]
              containers: []
            """)
        expectError(e, file: "/m/app.yaml", line: 6, column: 3, field: "spec.containers", contains: ["duplicate", "containers"])
    }

    @Test func missingFile() {
        #expect(throws: ScenarioError.self) { try ManifestLoader.load(path: "/nonexistent/app.yaml") }
        do { _ = try ManifestLoader.load(path: "/nonexistent/app.yaml") } catch let e as ScenarioError {
            #expect(e.file == "/nonexistent/app.yaml")
            #expect(e.message.contains("cannot read the manifest file"))
        } catch { Issue.record("\(error)") }
    }
}

@Suite struct CatalogAndPresetTests {
    @Test func armServerTypes() throws {
        let cax31 = try #require(HetznerCatalog.serverTypes["cax31"])
        #expect(cax31.vcpu == 8 && cax31.memoryGiB == 16 && cax31.arch == "arm64")
        #expect(cax31.locations == ["fsn1", "nbg1", "hel1"])
        let cax21 = try #require(HetznerCatalog.serverTypes["cax21"])
        #expect(cax21.vcpu == 4 && cax21.memoryGiB == 8)
    }

    @Test func everyLocationHasADatacenterAndANetworkZone() {
        for (name, type) in HetznerCatalog.serverTypes {
            #expect(type.name == name)
            #expect(!type.locations.isEmpty)
            for l in type.locations {
                #expect(HetznerCatalog.datacenters[l] != nil, "\(name) in \(l)")
                #expect(HetznerCatalog.networkZones[l] != nil, "\(name) in \(l)")
            }
        }
        #expect(HetznerCatalog.datacenters["fsn1"] == "fsn1-dc14")
        #expect(HetznerCatalog.networkZones["hel1"] == "eu-central")
    }

    @Test func k3sAllocatable() {
        let r = K3sPreset.allocatable(vcpu: 8, memoryGiB: 16)
        #expect(r.milliCPU == 8000)
        #expect(r.memoryBytes == 16 * 1024 * 1024 * 1024 - 100 * 1024 * 1024)
        #expect(K3sPreset.maxPods == 110)
    }

    @Test func k3sSystemWorkloads() {
        let all = K3sPreset.systemWorkloads(disable: [])
        #expect(all.deployments.map(\.metadata.name) == ["coredns", "metrics-server", "local-path-provisioner", "traefik"])
        #expect(all.daemonSets.map(\.metadata.name) == ["svclb-traefik"])
        let none = K3sPreset.systemWorkloads(disable: ["coredns", "metrics-server", "local-storage", "traefik"])
        #expect(none.deployments.isEmpty && none.daemonSets.isEmpty)
        let noLB = K3sPreset.systemWorkloads(disable: ["servicelb"])
        #expect(noLB.deployments.count == 4 && noLB.daemonSets.isEmpty)
    }
}

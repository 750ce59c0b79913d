import Foundation
import KubeModel
import SimKernel
import Simulation
import Testing

@testable import Scenario

/// The directory of the shipped scenarios: Tests/ScenarioTests/X.swift → ../../scenarios.
let scenariosDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scenarios")

let referenceScenarioPath = scenariosDirectory.appendingPathComponent("hetzner-k3s-ha.yaml").path

/// Every `*.yaml` directly in scenarios/ (not the manifests below it).
func shippedScenarioFiles() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: scenariosDirectory.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted()
}

func referenceScenarioText() throws -> String {
    try String(contentsOfFile: referenceScenarioPath, encoding: .utf8)
}

/// Loads the reference scenario with its text changed (`replacing` must occur in it), at
/// its real path so that the manifests still resolve.
func loadModifiedReference(
    replacing old: String, with new: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> LoadedScenario {
    let text = try referenceScenarioText()
    #expect(text.contains(old), "the reference scenario no longer contains \(old)", sourceLocation: sourceLocation)
    return try ScenarioLoader.load(text: text.replacingOccurrences(of: old, with: new), path: referenceScenarioPath)
}

@Suite struct ShippedScenarioLoadTests {
    @Test func scenariosDirectoryHasTheReferenceScenario() {
        #expect(shippedScenarioFiles().contains("hetzner-k3s-ha.yaml"))
    }

    @Test(arguments: shippedScenarioFiles())
    func shippedScenarioLoads(_ name: String) throws {
        let path = scenariosDirectory.appendingPathComponent(name).path
        do {
            let loaded = try ScenarioLoader.load(path: path)
            #expect(!loaded.name.isEmpty)
            #expect(!loaded.spec.nodes.isEmpty)
            #expect(loaded.spec.duration > .zero)
            #expect(loaded.path == path)
        } catch let e as ScenarioError {
            Issue.record("\(e.description)")
        }
    }
}

@Suite struct ReferenceScenarioTests {
    let loaded: LoadedScenario
    var spec: ClusterSpec { loaded.spec }

    init() throws { loaded = try ScenarioLoader.load(path: referenceScenarioPath) }

    func node(_ name: String) -> NodeSpec? { spec.nodes.first { $0.name == name } }

    @Test func metadataAndTopLevel() throws {
        #expect(loaded.name == "hetzner-k3s-ha")
        #expect(loaded.description == "K3S HA (embedded etcd) on 3 CAX21 servers + 4 CAX31 agents")
        #expect(loaded.text == (try referenceScenarioText()))
        #expect(spec.name == "hetzner-k3s-ha")
        #expect(spec.duration == .seconds(5400))
        #expect(spec.seed == 1)
    }

    @Test func sevenNodesWithTheRightNames() {
        #expect(
            spec.nodes.map(\.name).sorted() == [
                "agents-0", "agents-1", "agents-2", "agents-3", "server-0", "server-1", "server-2",
            ])
        #expect(spec.nodes.filter { $0.pool == "control-plane" }.count == 3)
        #expect(spec.nodes.filter { $0.pool == "agents" }.count == 4)
    }

    @Test func serversAreTaintedAndLabelledAsControlPlane() throws {
        let taint = Taint(key: "CriticalAddonsOnly", value: "true", effect: .NoExecute)
        for i in 0..<3 {
            let n = try #require(node("server-\(i)"))
            #expect(n.taints == [taint])
            #expect(n.labels["node-role.kubernetes.io/control-plane"] == "true")
            #expect(n.labels["node-role.kubernetes.io/master"] == "true")
            #expect(n.labels["node-role.kubernetes.io/etcd"] == "true")
            #expect(n.labels["node.kubernetes.io/instance-type"] == "cax21")
            #expect(!n.unschedulable)
        }
        for i in 0..<4 {
            let n = try #require(node("agents-\(i)"))
            #expect(n.taints.isEmpty)
            #expect(n.labels["node-role.kubernetes.io/control-plane"] == nil)
            #expect(n.labels["node-role.kubernetes.io/etcd"] == nil)
        }
    }

    @Test(arguments: [
        ("server-0", "fsn1", "fsn1-dc14"), ("server-1", "nbg1", "nbg1-dc3"), ("server-2", "hel1", "hel1-dc2"),
        ("agents-0", "fsn1", "fsn1-dc14"), ("agents-1", "nbg1", "nbg1-dc3"), ("agents-2", "hel1", "hel1-dc2"),
        ("agents-3", "fsn1", "fsn1-dc14"),
    ])
    func wellKnownLabels(_ name: String, _ location: String, _ datacenter: String) throws {
        let n = try #require(node(name))
        #expect(n.labels["topology.kubernetes.io/region"] == location)
        #expect(n.labels["topology.kubernetes.io/zone"] == datacenter)
        #expect(n.labels["kubernetes.io/hostname"] == name)
        #expect(n.labels["kubernetes.io/arch"] == "arm64")
        #expect(n.labels["kubernetes.io/os"] == "linux")
        #expect(n.labels["node.kubernetes.io/instance-type"] == (name.hasPrefix("server") ? "cax21" : "cax31"))
    }

    @Test func allocatableIsCapacityMinusEvictionThreshold() throws {
        let mebi: Int64 = 1024 * 1024, gibi: Int64 = 1024 * mebi
        let agent = try #require(node("agents-0"))
        #expect(agent.allocatable.milliCPU == 8000)
        #expect(agent.allocatable.memoryBytes == 16 * gibi - 100 * mebi)
        #expect(agent.allocatable.memoryBytes == 17_075_011_584)
        #expect(agent.allocatablePods == 110)
        let server = try #require(node("server-0"))
        #expect(server.allocatable.milliCPU == 4000)
        #expect(server.allocatable.memoryBytes == 8 * gibi - 100 * mebi)
    }

    @Test func nodeMonitorGracePeriodFollowsTheKubernetesVersion() throws {
        #expect(spec.parameters.nodeMonitorGracePeriod == .seconds(50))
        let old = try loadModifiedReference(replacing: #"kubernetesVersion: "1.33""#, with: #"kubernetesVersion: "1.31""#)
        #expect(old.spec.parameters.nodeMonitorGracePeriod == .seconds(40))
        let v132 = try loadModifiedReference(replacing: #"kubernetesVersion: "1.33""#, with: #"kubernetesVersion: "1.32""#)
        #expect(v132.spec.parameters.nodeMonitorGracePeriod == .seconds(50))
    }

    @Test func settingsOverrideTheVersionDefault() throws {
        let s = try loadModifiedReference(
            replacing: #"kubernetesVersion: "1.33""#,
            with:
                "kubernetesVersion: \"1.31\"\n    settings: {nodeMonitorGracePeriod: 1m30s, defaultUnreachableTolerationSeconds: 60}"
        )
        #expect(s.spec.parameters.nodeMonitorGracePeriod == .seconds(90))
        #expect(s.spec.parameters.defaultUnreachableTolerationSeconds == 60)
    }

    @Test func k3sSystemDeploymentsWithoutTheDisabledOnes() {
        let system = spec.workloads.deployments.filter { $0.metadata.namespace == "kube-system" }.map(\.metadata.name)
        #expect(Set(system) == ["coredns", "metrics-server", "local-path-provisioner"])
        #expect(!spec.workloads.deployments.contains { $0.metadata.name == "traefik" })
        #expect(!spec.workloads.daemonSets.contains { $0.metadata.name == "svclb-traefik" })
        let coredns = spec.workloads.deployments.first { $0.metadata.key == "kube-system/coredns" }
        #expect(coredns?.template.spec.tolerations.contains { $0.key == "CriticalAddonsOnly" } == true)
    }

    @Test func traefikIsBundledWhenNotDisabled() throws {
        let s = try loadModifiedReference(replacing: "disable: [traefik, servicelb]", with: "disable: []")
        #expect(s.spec.workloads.deployments.contains { $0.metadata.key == "kube-system/traefik" })
        #expect(s.spec.workloads.daemonSets.contains { $0.metadata.key == "kube-system/svclb-traefik" })
    }

    @Test func manifestWorkloadsAreLoadedAndOtherKindsIgnored() {
        let keys = Set(spec.workloads.deployments.map(\.metadata.key))
        for k in [
            "shop/web", "shop/api", "shop/cloudflared", "shop/worker", "external-secrets/external-secrets",
            "flux-system/source-controller", "flux-system/kustomize-controller", "flux-system/helm-controller",
        ] {
            #expect(keys.contains(k), "missing Deployment \(k)")
        }
        #expect(spec.workloads.deployments.first { $0.metadata.key == "shop/web" }?.replicas == 6)
        #expect(Set(spec.workloads.podDisruptionBudgets.map(\.metadata.key)) == ["shop/web", "shop/cloudflared"])
        // Service, HPA, ExternalSecret, CNPG Cluster, Namespace: not modelled, not an error.
        #expect(spec.workloads.statefulSets.isEmpty)
        #expect(spec.workloads.pods.isEmpty)
    }

    @Test func timingRulesAreParsed() {
        #expect(spec.timing.count == 2)
        #expect(spec.timing.first?.selector.matchLabels == ["app": "web"])
        #expect(spec.timing.first?.imagePull == .lognormal(median: 4, p95: 15))
        #expect(spec.timing.first?.appReady == .lognormal(median: 2, p95: 6))
        #expect(spec.timing.first?.containerStart == nil)
        #expect(spec.timing.last?.imagePull == .lognormal(median: 8, p95: 30))
    }

    @Test func theFaultsAreParsed() {
        var upgrade = FaultSpec(at: .seconds(3000), action: .upgrade, target: .cluster)
        upgrade.upgrade.drain = true
        upgrade.upgrade.restartTime = .seconds(30)
        upgrade.upgrade.postCompleteDelay = .seconds(10)
        #expect(
            spec.faults == [
                FaultSpec(at: .seconds(600), action: .crash, target: .node("agents-2"), duration: .seconds(1200)),
                FaultSpec(
                    at: .seconds(2400), action: .rollout, target: .deployment(namespace: "shop", name: "web"),
                    image: "ghcr.io/example/shop-web:1.15.0"),
                upgrade,
            ])
    }
}

/// The rest of the loader's mapping, on small inline scenarios.
@Suite struct ScenarioBuilderTests {
    static let head = """
        apiVersion: k3sim/v1alpha1
        kind: Scenario
        metadata: {name: small}
        spec:
          duration: 30m
          platform: {distribution: k3s, provider: hetzner, kubernetesVersion: "1.30"}

        """

    @Test func explicitNodes() throws {
        let s = try ScenarioLoader.load(
            text: Self.head + """
                  nodes:
                    - name: n1
                      capacity: {cpu: "4", memory: 10000, pods: "50"}
                      labels: {topology.kubernetes.io/zone: a}
                      taints: [{key: dedicated, value: db, effect: NoSchedule}]
                    - {name: n2, capacity: {cpu: 1500m, memory: 2Gi}, allocatable: {cpu: "1", memory: 1Gi}, unschedulable: true}
                """, path: "/tmp/small.yaml")
        #expect(s.spec.nodes.map(\.name) == ["n1", "n2"])
        let n1 = s.spec.nodes[0], n2 = s.spec.nodes[1]
        #expect(n1.allocatable.milliCPU == 4000)
        #expect(n1.allocatable.memoryBytes == 10000)
        #expect(n1.allocatablePods == 50)
        #expect(n1.labels["topology.kubernetes.io/zone"] == "a")
        #expect(n1.labels["kubernetes.io/hostname"] == "n1")
        #expect(n1.taints == [Taint(key: "dedicated", value: "db", effect: .NoSchedule)])
        #expect(n2.allocatable.milliCPU == 1000)
        #expect(n2.allocatable.memoryBytes == 1024 * 1024 * 1024)
        #expect(n2.allocatablePods == 110)
        #expect(n2.unschedulable)
        #expect(s.spec.parameters.nodeMonitorGracePeriod == .seconds(40))
        #expect(s.spec.seed == 1)
    }

    @Test func poolLocationsRoundRobinAndDefault() throws {
        let s = try ScenarioLoader.load(
            text: Self.head + """
                  controlPlane: {count: 1, serverType: cpx31, locations: [ash], datastore: sqlite}
                  nodePools:
                    - {name: a, serverType: ccx13, count: 3, locations: [sin, hil], labels: {tier: db}}
                    - {name: b, serverType: cx23, count: 1}
                """, path: "/tmp/small.yaml")
        let byName = Dictionary(uniqueKeysWithValues: s.spec.nodes.map { ($0.name, $0) })
        #expect(byName.keys.sorted() == ["a-0", "a-1", "a-2", "b-0", "server-0"])
        #expect(byName["a-0"]?.labels["topology.kubernetes.io/region"] == "sin")
        #expect(byName["a-1"]?.labels["topology.kubernetes.io/zone"] == "hil-dc1")
        #expect(byName["a-2"]?.labels["topology.kubernetes.io/region"] == "sin")
        #expect(byName["a-0"]?.labels["tier"] == "db")
        #expect(byName["a-0"]?.labels["kubernetes.io/arch"] == "amd64")
        #expect(byName["b-0"]?.labels["topology.kubernetes.io/region"] == "fsn1")
        // Schedulable by default; sqlite: no etcd role.
        #expect(byName["server-0"]?.taints == [])
        #expect(byName["server-0"]?.labels["node-role.kubernetes.io/etcd"] == nil)
        #expect(byName["server-0"]?.labels["node-role.kubernetes.io/control-plane"] == "true")
        #expect(byName["server-0"]?.labels["topology.kubernetes.io/zone"] == "ash-dc1")
    }

    @Test func faultTargetsAndOptions() throws {
        let s = try ScenarioLoader.load(
            text: Self.head + """
                  nodePools: [{name: agents, serverType: cax21, count: 2, locations: [fsn1, nbg1]}]
                  workloads:
                    - object:
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: web}
                        spec:
                          replicas: 2
                          selector: {matchLabels: {app: web}}
                          template:
                            metadata: {labels: {app: web}}
                            spec: {containers: [{name: web, image: nginx}]}
                    - object:
                        apiVersion: apps/v1
                        kind: StatefulSet
                        metadata: {name: db}
                        spec:
                          replicas: 2
                          selector: {matchLabels: {app: db}}
                          template:
                            metadata: {labels: {app: db}}
                            spec: {containers: [{name: db, image: postgres}]}
                  faults:
                    - {at: 1m, action: outage, target: zone/nbg1-dc3, for: 90s}
                    - {at: 2m, action: crash, target: pool/agents, options: {count: 1}}
                    - {at: 3m, action: scale, target: deployment/web, options: {replicas: 4}}
                    - {at: 4m, action: delete-pod, target: pod/default/db-1}
                    - {at: 5m, action: crash, target: node-of/pod/default/db-0}
                    - {at: 6m, action: recover, target: cluster}
                """, path: "/tmp/small.yaml")
        #expect(
            s.spec.faults == [
                FaultSpec(at: .seconds(60), action: .outage, target: .zone("nbg1-dc3"), duration: .seconds(90)),
                FaultSpec(at: .seconds(120), action: .crash, target: .pool("agents"), count: 1),
                FaultSpec(at: .seconds(180), action: .scale, target: .deployment(namespace: "default", name: "web"), replicas: 4),
                FaultSpec(at: .seconds(240), action: .deletePod, target: .pod(namespace: "default", name: "db-1")),
                FaultSpec(at: .seconds(300), action: .crash, target: .nodeOfPod(namespace: "default", name: "db-0")),
                FaultSpec(at: .seconds(360), action: .recover, target: .cluster),
            ])
        #expect(s.spec.workloads.deployments.contains { $0.metadata.key == "default/web" })
    }
}

/// Scenario shapes Hetzner servers from the shipped price catalog: one list of types.
@Suite struct HetznerServerTypeTests {
    @Test func serverTypesComeFromTheShippedCatalog() throws {
        let types = HetznerCatalog.serverTypes
        #expect(types.count == 25)
        let cax21 = try #require(types["cax21"])
        #expect(cax21.vcpu == 4 && cax21.memoryGiB == 8 && cax21.arch == "arm64" && cax21.locations == ["fsn1", "nbg1", "hel1"])
        let ccx63 = try #require(types["ccx63"])
        #expect(ccx63.vcpu == 48 && ccx63.memoryGiB == 192 && ccx63.locations.contains("sin"))
    }
}

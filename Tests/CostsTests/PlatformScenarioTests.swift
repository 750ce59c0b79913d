import Catalog
import KubeModel
import Scenario
import Simulation
import Testing

/// Scenarios on EKS, GKE, LKE, RKE2, MicroK8s and Talos build their nodes from the catalogs.
@Suite struct PlatformScenarioTests {
    func load(_ platform: String, extra: String = "") throws -> LoadedScenario {
        let text = """
            apiVersion: k3sim/v1alpha1
            kind: Scenario
            metadata: {name: platform-test}
            spec:
              duration: 10m
              platform: {\(platform), kubernetesVersion: "1.33"}
            \(extra)
              workloads:
                - object:
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web}
                    spec:
                      replicas: 3
                      selector: {matchLabels: {app: web}}
                      template:
                        metadata: {labels: {app: web}}
                        spec: {containers: [{name: web, image: web, resources: {requests: {cpu: 250m, memory: 256Mi}}}]}
            """
        return try ScenarioLoader.load(text: text, path: "/tmp/platform-test.yaml")
    }

    @Test func eksNodesHaveTheEKSAllocatableAndLabels() throws {
        let s = try load(
            "distribution: eks, provider: aws, region: eu-central-1",
            extra: "  nodePools: [{name: ng, serverType: m7g.large, count: 3}]")
        #expect(s.spec.nodes.map(\.name) == ["ng-0", "ng-1", "ng-2"])
        let n = s.spec.nodes[0]
        #expect(n.allocatable.milliCPU == 1930)
        #expect(n.allocatablePods == 29)
        #expect(n.labels["topology.kubernetes.io/region"] == "eu-central-1")
        #expect(
            Set(s.spec.nodes.compactMap { $0.labels["topology.kubernetes.io/zone"] }) == [
                "eu-central-1a", "eu-central-1b", "eu-central-1c",
            ])
        #expect(n.labels["eks.amazonaws.com/nodegroup"] == "ng")
        #expect(n.labels["kubernetes.io/arch"] == "arm64")
        #expect(s.spec.workloads.daemonSets.map(\.metadata.name).sorted() == ["aws-node", "kube-proxy"])
        #expect(s.spec.workloads.deployments.contains { $0.metadata.name == "coredns" && $0.replicas == 2 })
        #expect(s.userWorkloads.deployments.map(\.metadata.name) == ["web"])
        #expect(s.platform.distribution == .eks && s.platform.pools.first?.type == "m7g.large")
        let run = ClusterSimulation(spec: s.spec).run()
        #expect(run.pendingPodsAtEnd == 0)
    }

    @Test func gkeAndLkeNodes() throws {
        let g = try load(
            "distribution: gke, provider: gcp, region: us-central1",
            extra: "  nodePools: [{name: pool, serverType: t2a-standard-4, count: 2, locations: [us-central1-a]}]")
        #expect(g.spec.nodes[0].allocatable.milliCPU == 3920)
        #expect(g.spec.nodes[0].labels["cloud.google.com/gke-nodepool"] == "pool")
        #expect(g.spec.nodes[0].labels["topology.kubernetes.io/zone"] == "us-central1-a")
        let l = try load(
            "distribution: lke, provider: linode, region: eu-central",
            extra: "  nodePools: [{name: pool, serverType: g6-standard-4, count: 2}]")
        #expect(l.spec.nodes[0].labels["topology.kubernetes.io/region"] == "eu-central")
        #expect(l.spec.nodes[0].labels["topology.kubernetes.io/zone"] == nil)
    }

    @Test func selfManagedDistributionsOnHetzner() throws {
        let cp =
            "  controlPlane: {count: 3, serverType: cpx22, locations: [fsn1, nbg1, hel1], schedulable: false}\n"
            + "  nodePools: [{name: agents, serverType: cpx32, count: 2, locations: [fsn1, nbg1]}]"
        let rke2 = try load("distribution: rke2, provider: hetzner, region: eu-central", extra: cp)
        let server = try #require(rke2.spec.nodes.first { $0.name == "server-0" })
        #expect(server.taints == [Taint(key: "CriticalAddonsOnly", value: "true", effect: .NoExecute)])
        #expect(server.labels["node-role.kubernetes.io/etcd"] == "true")
        #expect(server.labels["topology.kubernetes.io/zone"] == "fsn1-dc14")
        let talos = try load("distribution: talos, provider: hetzner, region: eu-central", extra: cp)
        #expect(
            talos.spec.nodes.first { $0.name == "server-1" }?.taints == [
                Taint(key: "node-role.kubernetes.io/control-plane", effect: .NoSchedule)
            ])
        let micro = try load("distribution: microk8s, provider: hetzner", extra: cp)
        #expect(micro.platform.region == "eu-central")
        #expect(micro.spec.workloads.daemonSets.map(\.metadata.name) == ["calico-node"])
    }

    @Test func platformErrorsArePositioned() throws {
        func error(_ platform: String, _ extra: String = "") -> ScenarioError? {
            do { _ = try load(platform, extra: extra); return nil } catch let e as ScenarioError { return e } catch { return nil }
        }
        let cp = error(
            "distribution: eks, provider: aws, region: eu-central-1",
            "  controlPlane: {count: 3, serverType: m7g.large}")
        #expect(cp?.field == "spec.controlPlane.count")
        #expect(cp?.message.contains("managed control plane takes only highAvailability") == true)
        let wrongProvider = error("distribution: gke, provider: aws, region: eu-central-1")
        #expect(wrongProvider?.field == "spec.platform.provider")
        #expect(wrongProvider?.message == "gke runs on gcp, not aws")
        let type = error(
            "distribution: eks, provider: aws, region: eu-central-1", "  nodePools: [{name: ng, serverType: m7g.huge, count: 1}]")
        #expect(type?.field == "spec.nodePools[0].serverType")
        #expect(type?.line == 7)
        let zone = error(
            "distribution: eks, provider: aws, region: eu-central-1",
            "  nodePools: [{name: ng, serverType: m7g.large, count: 1, locations: [us-east-1a]}]")
        #expect(zone?.field == "spec.nodePools[0].locations[0]")
        let region = error("distribution: eks, provider: aws", "  nodePools: [{name: ng, serverType: m7g.large, count: 1}]")
        #expect(region?.message.contains("needs a region") == true)
        let unknown = error("distribution: openshift, provider: aws")
        #expect(unknown?.field == "spec.platform.distribution")
    }
}

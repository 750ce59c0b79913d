import Foundation
import Scenario
import Simulation

/// The `k3sim bench scheduler` load: many pending pods with costly constraints on a large cluster.
///
/// A cluster of `nodes` agents over three Hetzner locations and `pods` pending pods in Deployments
/// of 50 replicas (100m / 128 MiB each) with a mix of the constraints that cost the scheduler most:
/// a quarter with a DoNotSchedule spread over locations, a quarter with a ScheduleAnyway spread
/// over hosts and preferred anti-affinity, half with only the system default spreading (their
/// ReplicaSet's selector). Every pod goes through the full default profile.
public enum SchedulerBench {
    public struct Report: Codable, Sendable {
        public var benchmark = "scheduler"
        public var machine: MachineInfo
        public var nodes: Int
        public var pods: Int
        public var scheduled: Int
        public var unschedulable: Int
        public var wallSeconds: Double
        public var podsPerSecond: Double
        public var peakMemoryBytes: Int
        public var placementDigest: String
        /// kube-scheduler's own CI threshold at 5,000 nodes (scheduler_perf), for scale.
        public var kubeSchedulerCIThreshold = 680
    }

    public static func scenario(nodes: Int, pods: Int) -> String {
        var lines = [
            "apiVersion: k3sim/v1alpha1",
            "kind: Scenario",
            "metadata: {name: bench-scheduler}",
            "spec:",
            "  duration: 1h",
            "  seed: 1",
            "  platform: {distribution: k3s, provider: hetzner, kubernetesVersion: \"1.33\", disable: [traefik, servicelb, metrics-server, local-storage, coredns]}",
            "  nodePools:",
            "    - {name: agents, serverType: cax41, count: \(nodes), locations: [fsn1, nbg1, hel1]}",
            "  workloads:",
        ]
        let perDeployment = 50
        let deployments = (pods + perDeployment - 1) / perDeployment
        for d in 0..<deployments {
            let replicas = min(perDeployment, pods - d * perDeployment)
            let app = "{app: app-\(d)}"
            lines += [
                "    - object:",
                "        apiVersion: apps/v1",
                "        kind: Deployment",
                "        metadata: {name: app-\(d)}",
                "        spec:",
                "          replicas: \(replicas)",
                "          selector: {matchLabels: \(app)}",
                "          template:",
                "            metadata: {labels: \(app)}",
                "            spec:",
            ]
            switch d % 4 {
            case 0:
                lines += [
                    "              topologySpreadConstraints:",
                    "                - {maxSkew: 1, topologyKey: topology.kubernetes.io/region, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: \(app)}}",
                ]
            case 1:
                lines += [
                    "              topologySpreadConstraints:",
                    "                - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: \(app)}}",
                    "              affinity:",
                    "                podAntiAffinity:",
                    "                  preferredDuringSchedulingIgnoredDuringExecution:",
                    "                    - {weight: 100, podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: \(app)}}}",
                ]
            default: break
            }
            lines.append(
                "              containers: [{name: app, image: example/app-\(d % 20):1, resources: {requests: {cpu: 100m, memory: 128Mi}}}]"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func run(nodes: Int, pods: Int) throws -> Report {
        let machine = Measure.machine()
        let loaded = try ScenarioLoader.load(text: scenario(nodes: nodes, pods: pods), path: "bench-scheduler.yaml")
        let sim = ClusterSimulation(spec: loaded.spec)
        let r = sim.benchmarkScheduler()
        return Report(
            machine: machine, nodes: r.nodes, pods: r.pods, scheduled: r.scheduled, unschedulable: r.unschedulable,
            wallSeconds: r.wallSeconds, podsPerSecond: r.podsPerSecond, peakMemoryBytes: Measure.peakMemoryBytes(),
            placementDigest: r.placementDigest)
    }
}

import Foundation
import Simulation
import Store

@testable import Reports

/// Hand-built runs for the report tests. Fixed values (not a simulation) so that golden files
/// change only when the report format does, not when the simulation's model improves.
enum Fixture {
    static let scenarioText = """
        # A fixture scenario: two agents and a server; one agent crashes, then web rolls out.
        apiVersion: k3sim/v1alpha1
        kind: Scenario
        metadata:
          name: fixture-crash
          description: "an agent of two crashes; web (3 replicas) recovers on the other"
        spec:
          duration: 20m
          seed: 7
          platform: {distribution: k3s, provider: hetzner, region: eu-central, kubernetesVersion: "1.33"}
          controlPlane:
            count: 1
            serverType: cax21
            datastore: embedded-etcd   # etcd on one server
        """

    static let topology = RunTopology(
        nodes: [
            RunTopology.Node(
                name: "agents-0", pool: "agents", instanceType: "cax31", region: "fsn1", zone: "fsn1-dc14",
                allocatableMilliCPU: 8000, allocatableMemoryBytes: 16_944_988_160, allocatablePods: 110),
            RunTopology.Node(
                name: "agents-1", pool: "agents", instanceType: "cax31", region: "nbg1", zone: "nbg1-dc3",
                allocatableMilliCPU: 8000, allocatableMemoryBytes: 16_944_988_160, allocatablePods: 110),
            RunTopology.Node(
                name: "server-0", pool: "control-plane", instanceType: "cax21", region: "fsn1",
                zone: "fsn1-dc14", allocatableMilliCPU: 4000, allocatableMemoryBytes: 8_484_552_704,
                allocatablePods: 110, taints: ["CriticalAddonsOnly=true:NoExecute"]),
        ],
        workloads: [
            RunTopology.Workload(
                name: "shop/web", kind: "Deployment", replicas: 3, requestMilliCPU: 250,
                requestMemoryBytes: 268_435_456),
            RunTopology.Workload(
                name: "kube-system/agent", kind: "DaemonSet", replicas: nil, requestMilliCPU: 50,
                requestMemoryBytes: 52_428_800),
        ])

    /// A crash of agents-1 at 60 s (web drops from 3 to 2, back at 420.5 s) and a rollout at 600 s.
    static func record(seed: UInt64 = 7, source: String = "simulation", shift: Double = 0) -> RunRecord {
        RunRecord(
            scenarioName: "fixture-crash", seed: seed, source: source, simulatedSeconds: 1200, wallSeconds: 0.01,
            events: 1234,
            workloads: [
                WorkloadResult(
                    name: "shop/web", kind: "Deployment", desiredReplicas: 3, availability: 0.9 - shift / 10_000,
                    secondsBelowDesired: 360.5 + shift, secondsUnavailable: 0, minReadyReplicas: 2),
                WorkloadResult(
                    name: "kube-system/agent", kind: "DaemonSet", desiredReplicas: 2, availability: 1,
                    secondsBelowDesired: 0, secondsUnavailable: 0, minReadyReplicas: 2),
            ],
            faults: [
                FaultResult(
                    index: 0, action: "crash", target: "node/agents-1", at: 60,
                    milestones: [
                        Milestone(
                            name: .nodeNotReady, at: 107.5 + shift,
                            mechanism: "no Lease renewal for node-monitor-grace-period 50s"),
                        Milestone(name: .nodeTainted, at: 107.6 + shift, mechanism: "node.kubernetes.io/unreachable:NoExecute"),
                        Milestone(name: .podsEvicted, at: 407.6 + shift, mechanism: "tolerationSeconds 300 s"),
                        Milestone(name: .replacementsReady, at: 420.5 + shift, mechanism: "image pulled, readiness probe passed"),
                        Milestone(name: .recovered, at: 420.5 + shift, mechanism: "every affected workload back at desired"),
                    ], stats: ["podsOnNodes": 2, "nodes": 1]),
                FaultResult(
                    index: 1, action: "rollout", target: "deployment/shop/web", at: 600,
                    milestones: [
                        Milestone(name: .started, at: 600, mechanism: "RollingUpdate maxSurge 25% → 1, maxUnavailable 25% → 0"),
                        Milestone(name: .completed, at: 612.25 + shift / 10, mechanism: "DeploymentComplete: 3 updated"),
                    ], stats: ["maxPods": 4, "minAvailable": 3]),
            ],
            controlPlane: ControlPlaneResult(),
            pendingPodsAtEnd: 0,
            series: [
                TimeSeries(
                    kind: "readyReplicas", entity: "shop/web",
                    points: [
                        SeriesPoint(t: 5, value: 1), SeriesPoint(t: 6, value: 3), SeriesPoint(t: 60, value: 2),
                        SeriesPoint(t: 420.5 + shift, value: 3), SeriesPoint(t: 605, value: 4), SeriesPoint(t: 606, value: 3),
                    ]),
                TimeSeries(kind: "readyReplicas", entity: "kube-system/agent", points: [SeriesPoint(t: 4, value: 2)]),
                TimeSeries(kind: "nodeState", entity: "agents-0", points: [SeriesPoint(t: 0, value: 1, label: "Ready")]),
                TimeSeries(
                    kind: "nodeState", entity: "agents-1",
                    points: [
                        SeriesPoint(t: 0, value: 1, label: "Ready"), SeriesPoint(t: 60, value: 0, label: "Down"),
                    ]),
                TimeSeries(kind: "nodeState", entity: "server-0", points: [SeriesPoint(t: 0, value: 1, label: "Ready")]),
                TimeSeries(
                    kind: "pendingPods", entity: "cluster",
                    points: [
                        SeriesPoint(t: 0, value: 4), SeriesPoint(t: 6, value: 0), SeriesPoint(t: 407.6 + shift, value: 1),
                        SeriesPoint(t: 410 + shift, value: 0), SeriesPoint(t: 600, value: 1), SeriesPoint(t: 601, value: 0),
                    ]),
            ],
            notes: ["2 PodDisruptionBudget(s) decoded; they matter to drains and evictions, which this run does not include."],
            topology: topology)
    }

    static let createdAt = Date(timeIntervalSince1970: 1_750_000_000)

    static func storedRun(id: Int64 = 1, batchID: Int64? = nil, record: RunRecord = record()) -> StoredRun {
        StoredRun(
            id: id, batchID: batchID, scenarioName: "fixture-crash", scenarioText: scenarioText, k3simVersion: "0.1.0",
            createdAt: createdAt, record: record)
    }

    /// Three runs of a batch whose recovery differs by a few seconds.
    static func batch() -> [StoredRun] {
        [0.0, 4.5, 11.25].enumerated().map { i, shift in
            storedRun(id: Int64(10 + i), batchID: 10, record: record(seed: 7 + UInt64(i), shift: shift))
        }
    }

    /// A live drill of the same scenario: the node went NotReady later than simulated, and the
    /// drill never reached `replacementsReady` as a separate milestone.
    static func liveRecord() -> RunRecord {
        var r = record(seed: 0, source: "live", shift: 20)
        r.faults[0].milestones.removeAll { $0.name == .replacementsReady }
        r.topology = nil
        return r
    }

    /// The platform cost stored with a run, as `k3sim run` stores it: servers and an address in
    /// EUR, a service priced in USD (converted), an unpriced line, and sources with and without
    /// a URL.
    static let costOption = StoredCostOption(
        provider: "hetzner", distribution: "k3s", region: "eu-central", origin: "scenario", currency: "EUR", monthly: 56.05,
        items: [
            StoredCostItem(
                item: "server cax21 (control plane)", category: "compute", quantity: 1, unit: "machine-month",
                unitPrice: 10.49, amount: 10.49, currency: "EUR", converted: 10.49, asOf: "2026-06-15",
                source: "https://www.hetzner.com/cloud/", confidence: "derived"),
            StoredCostItem(
                item: "server cax31", category: "compute", quantity: 2, unit: "machine-month", unitPrice: 20.99,
                amount: 41.98, currency: "EUR", converted: 41.98, asOf: "2026-06-15",
                source: "https://www.hetzner.com/cloud/", confidence: "derived"),
            StoredCostItem(
                item: "primary IPv4", category: "network", quantity: 3, unit: "address-month", unitPrice: 0.5,
                amount: 1.5, currency: "EUR", converted: 1.5, asOf: "2022-08-10",
                source: "https://docs.hetzner.com/cloud/servers/primary-ips/overview/", confidence: "verified"),
            StoredCostItem(
                item: "AWS Secrets Manager secrets", category: "services", quantity: 6, unit: "secret-month",
                unitPrice: 0.4, amount: 2.4, currency: "USD", converted: 2.08, asOf: "2026", source: "pricing notes",
                confidence: "secondary"),
            StoredCostItem(
                item: "S3 PUT requests (WAL segments)", category: "services", quantity: 1.9466666666666668,
                unit: "1,000 requests", unitPrice: nil, amount: 0, currency: "USD", converted: 0, asOf: nil,
                source: nil, confidence: "unverified"),
            StoredCostItem(
                item: "outbound traffic above the included 60 TB", category: "network", quantity: 0, unit: "TB",
                unitPrice: 1, amount: 0, currency: "EUR", converted: 0, asOf: "2026-05-27", source: nil,
                confidence: "verified"),
            StoredCostItem(
                item: "Cloudflare Tunnel", category: "services", quantity: 1, unit: "month", unitPrice: 0,
                amount: 0, currency: "USD", converted: 0, asOf: "2025-12", source: "community.cloudflare.com",
                confidence: "secondary"),
        ])

    static let costs = RunCosts.stored([costOption])

    static let generator = "k3sim test"
}

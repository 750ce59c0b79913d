import KubeModel
import SimKernel
import Simulation

/// The scenario's faults: actions, targets and options, checked against the cluster the
/// scenario builds (every target must exist), with positioned errors.
extension ScenarioBuilder {
    func faults(nodes: [NodeSpec], workloads: Workloads) throws -> [FaultSpec] {
        try spec.faults.enumerated().map { i, f in
            let path: [PathKey] = [.key("faults"), .index(i)]
            guard let action = FaultSpec.Action(rawValue: f.action) else {
                throw fail(
                    path + [.key("action")],
                    "unknown action \"\(f.action)\"; this version knows "
                        + FaultSpec.Action.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard f.at.time < spec.duration.time else {
                throw fail(path + [.key("at")], "the fault is at or after the end of the run (\(spec.duration.time))")
            }
            let target = try parseTarget(
                f.target, action: action, nodes: nodes, workloads: workloads, path: path + [.key("target")])
            if action == .scale && f.options?.replicas == nil {
                throw fail(path + [.key("options")], "scale needs options.replicas")
            }
            var spec = FaultSpec(
                at: f.at.time, action: action, target: target, duration: f.duration?.time,
                image: f.options?.image, replicas: f.options?.replicas, count: f.options?.count)
            spec.timeout = f.options?.timeout?.time
            spec.force = f.options?.force ?? false
            if let k = f.options?.concurrency { spec.upgrade.concurrency = k }
            if let d = f.options?.drain { spec.upgrade.drain = d }
            if let r = f.options?.restartTime { spec.upgrade.restartTime = r.time }
            if let p = f.options?.postCompleteDelay { spec.upgrade.postCompleteDelay = p.time }
            spec.upgrade.strategy = try upgradeStrategy(f.options, path: path + [.key("options")])
            if let t = f.options?.installAndRebootTime { spec.upgrade.installAndRebootTime = t.time }
            if let t = f.options?.provisionTime { spec.upgrade.provisionTime = t.time }
            if action == .upgrade {
                spec.upgrade.nodePool = try nodePoolUpgrade(
                    f.options, strategy: spec.upgrade.strategy, path: path + [.key("options")])
            } else {
                try refuseNodePoolOptions(f.options, action: action, path: path + [.key("options")])
            }
            spec.latency = f.options?.latency?.time
            if action == .crashContainer || action == .failProbe {
                spec.probe = try containerFaultProbe(f, action: action, target: target, workloads: workloads, path: path)
            }
            return spec
        }
    }

    func parseTarget(
        _ s: String, action: FaultSpec.Action, nodes: [NodeSpec], workloads: Workloads,
        path: [PathKey]
    ) throws -> FaultSpec.Target {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        func bad(_ why: String) -> PositionedFieldError { fail(path, "\"\(s)\": \(why)") }
        let nodeActions: Set<FaultSpec.Action> = [
            .crash, .recover, .outage, .drain, .uncordon, .upgrade, .partition,
            .hostFailure, .deleteNode, .outOfService, .slowDisk, .deleteServer,
            .restart, .runtimeDown,
        ]
        let podActions: Set<FaultSpec.Action> = [.crashContainer, .failProbe]
        switch parts.first {
        case "node" where parts.count == 2:
            guard nodes.contains(where: { $0.name == parts[1] }) else {
                throw bad("no node named \(parts[1]) (nodes: \(Self.list(Set(nodes.map(\.name)))))")
            }
            guard nodeActions.contains(action) else { throw bad("\(action.rawValue) does not take a node") }
            return .node(parts[1])
        case "zone" where parts.count == 2:
            let zones = Set(
                nodes.flatMap { [$0.labels["topology.kubernetes.io/zone"], $0.labels["topology.kubernetes.io/region"]] }
                    .compactMap { $0 })
            guard zones.contains(parts[1]) else {
                throw bad("no node in zone or location \(parts[1]) (zones and locations: \(Self.list(zones)))")
            }
            guard nodeActions.contains(action) else { throw bad("\(action.rawValue) does not take a zone") }
            return .zone(parts[1])
        case "pool" where parts.count == 2:
            guard nodes.contains(where: { $0.pool == parts[1] }) else {
                throw bad("no node pool named \(parts[1]) (pools: \(Self.list(Set(nodes.map(\.pool).filter { !$0.isEmpty }))))")
            }
            guard nodeActions.contains(action) else { throw bad("\(action.rawValue) does not take a pool") }
            return .pool(parts[1])
        case "controlplane" where parts.count == 2 && parts[1] == "leader":
            guard [.crash, .outage, .restart, .partition].contains(action) else {
                throw bad("\(action.rawValue) does not take the control-plane leader")
            }
            guard spec.controlPlane != nil else { throw bad("the scenario has no controlPlane") }
            return .controlPlaneLeader
        case "controlplane" where parts.count == 1:
            guard action == .upgrade else {
                throw bad("\(action.rawValue) does not take the whole control plane (controlplane/leader names one server)")
            }
            guard spec.controlPlane != nil || !usesK3sHetznerPreset else { throw bad("the scenario has no controlPlane") }
            return .controlPlane
        case "cluster" where parts.count == 1:
            guard nodeActions.contains(action) else { throw bad("\(action.rawValue) does not take the cluster") }
            return .cluster
        case "node-of" where parts.count == 4 && parts[1] == "pod":
            guard nodeActions.contains(action) else { throw bad("\(action.rawValue) does not take a node") }
            try checkPod(namespace: parts[2], name: parts[3], workloads: workloads, bad)
            return .nodeOfPod(namespace: parts[2], name: parts[3])
        case "deployment" where parts.count == 2 || parts.count == 3:
            let ns = parts.count == 3 ? parts[1] : "default", name = parts[parts.count - 1]
            guard workloads.deployments.contains(where: { $0.metadata.namespace == ns && $0.metadata.name == name }) else {
                throw bad(
                    "no Deployment \(ns)/\(name) in the workloads (Deployments: \(Self.list(Set(workloads.deployments.map(\.metadata.key)))))"
                )
            }
            guard [.rollout, .scale, .deletePod].contains(action) || podActions.contains(action) else {
                throw bad("\(action.rawValue) does not take a Deployment")
            }
            return .deployment(namespace: ns, name: name)
        case "statefulset" where parts.count == 2 || parts.count == 3:
            let ns = parts.count == 3 ? parts[1] : "default", name = parts[parts.count - 1]
            guard workloads.statefulSets.contains(where: { $0.metadata.namespace == ns && $0.metadata.name == name }) else {
                throw bad(
                    "no StatefulSet \(ns)/\(name) in the workloads (StatefulSets: \(Self.list(Set(workloads.statefulSets.map(\.metadata.key)))))"
                )
            }
            guard action == .rollout || podActions.contains(action) else {
                throw bad("\(action.rawValue) does not take a StatefulSet")
            }
            return .statefulSet(namespace: ns, name: name)
        case "daemonset" where parts.count == 2 || parts.count == 3:
            let ns = parts.count == 3 ? parts[1] : "default", name = parts[parts.count - 1]
            guard workloads.daemonSets.contains(where: { $0.metadata.namespace == ns && $0.metadata.name == name }) else {
                throw bad(
                    "no DaemonSet \(ns)/\(name) in the workloads (DaemonSets: \(Self.list(Set(workloads.daemonSets.map(\.metadata.key)))))"
                )
            }
            guard action == .rollout else { throw bad("\(action.rawValue) does not take a DaemonSet") }
            return .daemonSet(namespace: ns, name: name)
        case "pod" where parts.count == 3:
            guard action == .deletePod || podActions.contains(action) else { throw bad("\(action.rawValue) does not take a pod") }
            try checkPod(namespace: parts[1], name: parts[2], workloads: workloads, bad)
            return .pod(namespace: parts[1], name: parts[2])
        default:
            throw bad(
                "not a target (node/NAME, zone/NAME, pool/NAME, cluster, controlplane, controlplane/leader, node-of/pod/NS/NAME, deployment/[NS/]NAME, statefulset/[NS/]NAME, daemonset/[NS/]NAME, pod/NS/NAME)"
            )
        }
    }

    /// Checks that a pod a fault names is one whose name is known before the run.
    ///
    /// That is a bare Pod, a StatefulSet's pod `<name>-<ordinal>` or a CloudNativePG instance
    /// `<cluster>-<n>` (Deployment and ReplicaSet pods get generated names). Otherwise the fault
    /// would hit nothing and still record its milestones.
    func checkPod(namespace: String, name: String, workloads: Workloads, _ bad: (String) -> PositionedFieldError) throws {
        var known = Set(workloads.pods.map(\.metadata.key))
        for s in workloads.statefulSets { for i in 0..<max(0, s.replicas) { known.insert("\(s.metadata.key)-\(i)") } }
        for c in workloads.cnpgClusters { for i in 0..<max(0, c.instances) { known.insert("\(c.metadata.key)-\(i + 1)") } }
        guard known.contains("\(namespace)/\(name)") else {
            throw bad(
                "no pod \(namespace)/\(name) known before the run (pods: \(Self.list(known))); "
                    + "Deployment and ReplicaSet pods have generated names: use deployment/NS/NAME")
        }
    }

    /// crash-container and fail-probe options: fail-probe needs `options.probe`
    /// and `for:`, and a target whose pods have that probe (a container without a liveness
    /// probe is never restarted for hanging, one without a readiness probe never leaves Ready).
    func containerFaultProbe(
        _ f: ScenarioFile.Fault, action: FaultSpec.Action, target: FaultSpec.Target,
        workloads: Workloads, path: [PathKey]
    ) throws -> FaultSpec.ProbeKind? {
        guard action == .failProbe else { return nil }
        guard let name = f.options?.probe else {
            throw fail(path + [.key("options")], "fail-probe needs options.probe (liveness or readiness)")
        }
        guard let kind = FaultSpec.ProbeKind(rawValue: name) else {
            throw fail(path + [.key("options"), .key("probe")], "\"\(name)\": must be liveness or readiness")
        }
        guard f.duration != nil else { throw fail(path, "fail-probe needs for: (how long the probe fails)") }
        var template: PodSpec?
        switch target {
        case .deployment(let ns, let n):
            template = workloads.deployments.first { $0.metadata.namespace == ns && $0.metadata.name == n }?.template.spec
        case .statefulSet(let ns, let n):
            template = workloads.statefulSets.first { $0.metadata.namespace == ns && $0.metadata.name == n }?.template.spec
        case .pod(let ns, let n):
            template = workloads.pods.first { $0.metadata.namespace == ns && $0.metadata.name == n }?.spec
        default: break
        }
        if let template {
            let has =
                kind == .liveness ? template.containers.contains { $0.livenessProbe != nil } : template.readinessProbe != nil
            guard has else { throw fail(path + [.key("target")], "\"\(target)\" has no \(kind.rawValue)Probe: nothing can fail") }
        }
        return kind
    }

    /// Up to 12 candidates, sorted, for a message.
    static func list(_ names: Set<String>) -> String {
        let sorted = names.sorted()
        if sorted.isEmpty { return "none" }
        return sorted.prefix(12).joined(separator: ", ") + (sorted.count > 12 ? ", … (\(sorted.count) in all)" : "")
    }
}

import Foundation
import KubeModel
import SimKernel
import Simulation

typealias JSON = [String: Any]

enum JSONText {
    static func data(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }
}

/// The API objects as the real API server serves them (the fields kubectl and K9s read),
/// rendered from the simulation's snapshots at the current simulated time.
enum Objects {
    static func metadata(
        name: String, namespace: String?, uid: String, rv: Int, created: SimTime,
        labels: [String: String] = [:], owner: (kind: String, name: String)? = nil,
        ownerAPIVersion: String = "apps/v1"
    ) -> JSON {
        var m: JSON = [
            "name": name, "uid": uid, "resourceVersion": String(rv),
            "creationTimestamp": SimClock.timestamp(created),
        ]
        if let namespace { m["namespace"] = namespace }
        if !labels.isEmpty { m["labels"] = labels }
        if let owner {
            m["ownerReferences"] = [
                [
                    "apiVersion": owner.kind == "Cluster" ? "postgresql.cnpg.io/v1" : ownerAPIVersion,
                    "kind": owner.kind, "name": owner.name, "uid": uidFor(owner.kind, namespace ?? "", owner.name),
                    "controller": true, "blockOwnerDeletion": true,
                ]
            ]
        }
        return m
    }

    /// A stable uid from kind and key (the simulation has no uids of its own).
    static func uidFor(_ kind: String, _ namespace: String, _ name: String) -> String {
        ServedUID.of(kind, namespace, name)
    }

    static func condition(
        _ type: String, _ status: String, since: SimTime, reason: String? = nil,
        message: String? = nil, heartbeat: SimTime? = nil
    ) -> JSON {
        var c: JSON = ["type": type, "status": status, "lastTransitionTime": SimClock.timestamp(since)]
        if let reason { c["reason"] = reason }
        if let message { c["message"] = message }
        if let heartbeat { c["lastHeartbeatTime"] = SimClock.timestamp(heartbeat) }
        return c
    }

    static func node(_ n: ServedNode, rv: Int, version: String) -> JSON {
        let (reason, message): (String, String) =
            switch n.ready {
            case "True": ("KubeletReady", "kubelet is posting ready status")
            case "False": ("KubeletNotReady", "container runtime is down or the kubelet reports NotReady")
            default: ("NodeStatusUnknown", "Kubelet stopped posting node status.")
            }
        var spec: JSON = [:]
        if n.unschedulable { spec["unschedulable"] = true }
        if !n.taints.isEmpty {
            spec["taints"] = n.taints.map { t -> JSON in
                var j: JSON = ["key": t.key, "effect": t.effect.rawValue]
                if !t.value.isEmpty { j["value"] = t.value }
                if let added = t.timeAddedSeconds { j["timeAdded"] = SimClock.timestamp(.fromSeconds(added)) }
                return j
            }
        }
        let alloc: JSON = [
            "cpu": "\(n.allocatable.milliCPU)m", "memory": "\(n.allocatable.memoryBytes)",
            "pods": "\(n.allocatablePods)",
        ]
        return [
            "kind": "Node", "apiVersion": "v1",
            "metadata": metadata(
                name: n.name, namespace: nil, uid: uidFor("Node", "", n.name), rv: rv, created: .zero, labels: n.labels),
            "spec": spec,
            "status": [
                "conditions": [
                    condition(
                        "Ready", n.ready, since: n.readySince, reason: reason, message: message,
                        heartbeat: n.heartbeat)
                ],
                "capacity": alloc, "allocatable": alloc,
                "addresses": [["type": "InternalIP", "address": nodeIP(n.index)], ["type": "Hostname", "address": n.name]],
                "nodeInfo": [
                    "kubeletVersion": version, "kubeProxyVersion": version, "operatingSystem": "linux",
                    "architecture": n.labels["kubernetes.io/arch"] ?? "amd64",
                    "containerRuntimeVersion": "containerd://2.0.5-k3s1",
                    "osImage": "Ubuntu 24.04 LTS", "kernelVersion": "6.8.0-k3sim",
                ],
            ] as JSON,
        ]
    }

    /// A pod whose container exited and waits to restart (restartPolicy Always) stays Running.
    static func podPhase(_ p: ServedPod) -> String {
        p.running || (p.restarts != nil && p.startTime != nil) ? "Running" : "Pending"
    }

    static func pod(_ p: ServedPod, rv: Int) -> JSON {
        let scheduled = p.nodeName != nil
        var meta = metadata(
            name: p.name, namespace: p.namespace, uid: ServedUID.pod(p),
            rv: rv, created: p.created, labels: p.labels, owner: p.owner)
        if let d = p.deletionTimestamp {
            meta["deletionTimestamp"] = SimClock.timestamp(d + .seconds(p.gracePeriodSeconds))
            meta["deletionGracePeriodSeconds"] = p.gracePeriodSeconds
        }
        var spec: JSON = [
            "containers": p.spec.containers.map(PodFields.container),
            "tolerations": p.tolerations.map(PodFields.toleration),
            "terminationGracePeriodSeconds": p.gracePeriodSeconds, "priority": Int(p.priority),
        ]
        if let node = p.nodeName { spec["nodeName"] = node }
        let readyStr = p.ready ? "True" : "False"
        let since = p.readySince ?? p.created
        var status: JSON = [
            "phase": podPhase(p),
            "conditions": [
                condition(
                    "PodScheduled", scheduled ? "True" : "False", since: p.created,
                    reason: scheduled ? nil : "Unschedulable"),
                condition("Initialized", "True", since: p.created),
                condition("ContainersReady", readyStr, since: since),
                condition("Ready", readyStr, since: since),
            ],
            "containerStatuses": p.containers.map { PodFields.containerStatus(p, name: $0.name, image: $0.image) },
        ]
        if let n = p.nominatedNodeName { status["nominatedNodeName"] = n }
        if scheduled { status["podIP"] = podIP(p.uid); status["hostIP"] = nodeIP(p.nodeIndex ?? 0) }
        if let start = p.startTime { status["startTime"] = SimClock.timestamp(start) }
        return ["kind": "Pod", "apiVersion": "v1", "metadata": meta, "spec": spec, "status": status]
    }

    static func podIP(_ uid: Int) -> String { "10.42.\(uid / 250 % 250).\(uid % 250 + 2)" }
    static func nodeIP(_ index: Int) -> String { "10.0.\(index / 250 % 250).\(index % 250 + 2)" }

    static func workload(_ w: ServedWorkload, rv: Int) -> JSON {
        let template: JSON = [
            "metadata": ["labels": w.selector],
            "spec": ["containers": w.containers.map { ["name": $0.name, "image": $0.image] }],
        ]
        var spec: JSON = ["selector": ["matchLabels": w.selector], "template": template]
        var status: JSON = [:]
        switch w.kind {
        case "DaemonSet":
            status = [
                "desiredNumberScheduled": w.replicas, "currentNumberScheduled": w.current, "numberReady": w.ready,
                "numberAvailable": w.available, "updatedNumberScheduled": w.updated, "numberMisscheduled": 0,
            ]
        default:
            spec["replicas"] = w.replicas
            status = [
                "replicas": w.current, "readyReplicas": w.ready, "availableReplicas": w.available,
                "updatedReplicas": w.updated, "observedGeneration": 1,
            ]
            if w.kind == "StatefulSet" { status["currentReplicas"] = w.current }
        }
        return [
            "kind": w.kind, "apiVersion": "apps/v1",
            "metadata": metadata(
                name: w.name, namespace: w.namespace, uid: uidFor(w.kind, w.namespace, w.name), rv: rv,
                created: .zero, labels: w.labels, owner: w.owner),
            "spec": spec, "status": status,
        ]
    }

    static func scale(_ w: ServedWorkload, rv: Int) -> JSON {
        [
            "kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": metadata(
                name: w.name, namespace: w.namespace, uid: uidFor(w.kind, w.namespace, w.name), rv: rv, created: .zero),
            "spec": ["replicas": w.replicas],
            "status": [
                "replicas": w.current,
                "selector": w.selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
            ],
        ]
    }

    static func pdb(_ p: ServedPDB, rv: Int) -> JSON {
        let b = p.budget
        var spec: JSON = [:]
        if let s = b.selector { spec["selector"] = ["matchLabels": s.matchLabels] }
        if let m = b.minAvailable { spec["minAvailable"] = intOrString(m) }
        if let m = b.maxUnavailable { spec["maxUnavailable"] = intOrString(m) }
        return [
            "kind": "PodDisruptionBudget", "apiVersion": "policy/v1",
            "metadata": metadata(
                name: b.metadata.name, namespace: b.metadata.namespace,
                uid: uidFor("PodDisruptionBudget", b.metadata.namespace, b.metadata.name), rv: rv,
                created: .zero, labels: b.metadata.labels),
            "spec": spec,
            "status": [
                "currentHealthy": p.currentHealthy, "desiredHealthy": p.desiredHealthy,
                "expectedPods": p.expected, "disruptionsAllowed": p.disruptionsAllowed, "observedGeneration": 1,
            ],
        ]
    }

    static func intOrString(_ v: IntOrString) -> Any {
        switch v {
        case .int(let i): return i
        case .string(let s): return s
        }
    }

    static func namespace(_ name: String, rv: Int) -> JSON {
        [
            "kind": "Namespace", "apiVersion": "v1",
            "metadata": metadata(
                name: name, namespace: nil, uid: uidFor("Namespace", "", name), rv: rv, created: .zero,
                labels: ["kubernetes.io/metadata.name": name]),
            "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"],
        ]
    }

    static func lease(_ n: ServedNode, rv: Int) -> JSON {
        [
            "kind": "Lease", "apiVersion": "coordination.k8s.io/v1",
            "metadata": metadata(
                name: n.name, namespace: "kube-node-lease", uid: uidFor("Lease", "kube-node-lease", n.name),
                rv: rv, created: .zero, owner: ("Node", n.name), ownerAPIVersion: "v1"),
            "spec": [
                "holderIdentity": n.name, "leaseDurationSeconds": 40,
                "renewTime": SimClock.microTimestamp(n.leaseRenewTime),
            ],
        ]
    }

    static func lease(_ l: ServedLease, rv: Int) -> JSON {
        var spec: JSON = ["leaseDurationSeconds": l.durationSeconds, "renewTime": SimClock.microTimestamp(l.renewTime)]
        if let h = l.holder { spec["holderIdentity"] = "\(h)_k3sim" }
        return [
            "kind": "Lease", "apiVersion": "coordination.k8s.io/v1",
            "metadata": metadata(
                name: l.name, namespace: "kube-system", uid: uidFor("Lease", "kube-system", l.name),
                rv: rv, created: .zero),
            "spec": spec,
        ]
    }

    /// A fault timeline's milestone as a core/v1 Event on the object the fault targets.
    static func event(index: Int, at: Double, fault: String, reason: String, message: String, rv: Int) -> JSON {
        let target = fault.split(separator: " ").last.map(String.init) ?? ""
        let parts = target.split(separator: "/").map(String.init)
        let kind =
            [
                "node": "Node", "deployment": "Deployment", "pod": "Pod", "statefulset": "StatefulSet",
                "daemonset": "DaemonSet", "zone": "Node", "pool": "Node",
            ][parts.first ?? ""] ?? "Cluster"
        let name = parts.last ?? target
        let ns = parts.count == 3 ? parts[1] : "default"
        let t = SimTime.fromSeconds(at)
        return [
            "kind": "Event", "apiVersion": "v1",
            "metadata": metadata(name: "k3sim.\(index)", namespace: ns, uid: uidFor("Event", ns, "\(index)"), rv: rv, created: t),
            "involvedObject": ["kind": kind, "name": name, "namespace": parts.count == 3 ? ns : ""],
            "reason": reason.prefix(1).uppercased() + reason.dropFirst(), "message": message,
            "type": warnings.contains { reason.lowercased().contains($0) } ? "Warning" : "Normal",
            "source": ["component": "k3sim"], "count": 1,
            "firstTimestamp": SimClock.timestamp(t), "lastTimestamp": SimClock.timestamp(t),
        ]
    }

    static func event(_ e: ServedEvent, index: Int, rv: Int) -> JSON {
        [
            "kind": "Event", "apiVersion": "v1",
            "metadata": metadata(
                name: "\(e.name).\(index)", namespace: e.namespace, uid: uidFor("Event", e.namespace, "m\(index)"),
                rv: rv, created: e.at),
            "involvedObject": ["kind": e.kind, "name": e.name, "namespace": e.kind == "Node" ? "" : e.namespace, "uid": e.uid],
            "reason": e.reason, "message": e.message, "type": e.warning ? "Warning" : "Normal",
            "source": ["component": e.component], "count": 1,
            "firstTimestamp": SimClock.timestamp(e.at), "lastTimestamp": SimClock.timestamp(e.at),
        ]
    }

    /// Milestones that an operator would see as Warning events.
    static let warnings = ["fail", "notready", "taint", "evict", "lost", "unavailable", "down", "timeout", "violat"]

    static func list(kind: String, apiVersion: String, items: [JSON], rv: Int) -> JSON {
        ["kind": kind + "List", "apiVersion": apiVersion, "metadata": ["resourceVersion": String(rv)], "items": items]
    }

    /// A `Status` failure, as the API server answers errors.
    static func status(code: Int, reason: String, message: String) -> JSON {
        [
            "kind": "Status", "apiVersion": "v1", "metadata": [:] as JSON, "status": "Failure", "message": message,
            "reason": reason, "code": code,
        ]
    }
}

import KubeModel
import SimKernel
import Simulation

/// The parts of a served Pod that come from its spec and its kubelet: containers with their
/// resources, tolerations after admission, container statuses with restarts.
enum PodFields {
    static func container(_ c: Container) -> JSON {
        var resources: JSON = [:]
        if !c.resources.requests.isEmpty { resources["requests"] = c.resources.requests.mapValues(\.text) }
        if !c.resources.limits.isEmpty { resources["limits"] = c.resources.limits.mapValues(\.text) }
        return ["name": c.name, "image": c.image, "resources": resources, "imagePullPolicy": "IfNotPresent"]
    }

    static func toleration(_ t: Toleration) -> JSON {
        var j: JSON = ["operator": t.operator.rawValue]
        if !t.key.isEmpty { j["key"] = t.key }
        if !t.value.isEmpty { j["value"] = t.value }
        if let e = t.effect { j["effect"] = e.rawValue }
        if let s = t.tolerationSeconds { j["tolerationSeconds"] = s }
        return j
    }

    /// A container's status: running since the API heard it started, waiting in
    /// CrashLoopBackOff after an exit, or waiting to be created; `lastState` holds the last
    /// exit of a restarted container.
    static func containerStatus(_ p: ServedPod, name: String, image: String) -> JSON {
        let scheduled = p.nodeName != nil
        var j: JSON = [
            "name": name, "image": image, "ready": p.ready, "restartCount": p.restarts?.count ?? 0,
            "started": p.running,
        ]
        if p.running {
            j["state"] = ["running": ["startedAt": SimClock.timestamp(p.runningSince ?? p.created)]]
        } else if let r = p.restarts, r.backingOff {
            // kuberuntime_manager.go doBackOff: "back-off 20s restarting failed container=C pod=NAME_NS(UID)".
            let s = Int(r.backOff.seconds)
            let wait = s < 60 ? "\(s)s" : "\(s / 60)m\(s % 60)s"
            j["state"] = [
                "waiting": [
                    "reason": "CrashLoopBackOff",
                    "message":
                        "back-off \(wait) restarting failed container=\(name) pod=\(p.name)_\(p.namespace)(\(ServedUID.pod(p)))",
                ]
            ]
        } else {
            j["state"] = ["waiting": ["reason": scheduled ? "ContainerCreating" : "Pending"]]
        }
        if let r = p.restarts, r.count > 0 || r.backingOff {
            var terminated: JSON = ["exitCode": 1, "reason": "Error", "finishedAt": SimClock.timestamp(r.lastFinishedAt)]
            if let started = r.lastStartedAt ?? p.runningSince { terminated["startedAt"] = SimClock.timestamp(started) }
            j["lastState"] = ["terminated": terminated]
        }
        return j
    }
}

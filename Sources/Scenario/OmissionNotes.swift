import KubeModel
import Simulation

/// The run's notes name what the manifests hold and the simulation leaves out, so that a
/// result is never silently about a different cluster: objects whose absence changes what
/// happens get a sentence each (a HorizontalPodAutoscaler's replicas stay fixed), the rest are
/// listed by kind.
enum OmissionNotes {
    /// `simulated`: sentences for the HorizontalPodAutoscalers that act on a load, by name.
    static func notes(_ set: ManifestSet, simulated: [String: String] = [:]) -> [String] {
        var notes: [String] = [], builtIn: [String: Int] = [:], custom: [String: Int] = [:]
        for o in set.ignored {
            if o.kind == "HorizontalPodAutoscaler", let sentence = simulated[o.displayName] {
                notes.append(sentence)
            } else if let sentence = sentence(o, set.workloads, rescaled: set.rescaled) {
                notes.append(sentence)
            } else if isCustomResource(o.apiVersion) {
                custom[o.kind, default: 0] += 1
            } else {
                builtIn[o.kind, default: 0] += 1
            }
        }
        func list(_ counts: [String: Int]) -> String {
            counts.sorted { $0.key < $1.key }.map { $0.value > 1 ? "\($0.key) ×\($0.value)" : $0.key }.joined(separator: ", ")
        }
        notes += quotaNotes(set.workloads.resourceQuotas) + fieldNotes(set.workloads) + JobNotes.notes(set.workloads)
        if !builtIn.isEmpty {
            notes.append("Read but not simulated (no controller here acts on them): \(list(builtIn)).")
        }
        if !custom.isEmpty {
            notes.append("Custom resources that no operator runs in the simulation: \(list(custom)).")
        }
        return notes
    }

    /// What of a ResourceQuota is not enforced: scopes k3sim does not evaluate, and limits on
    /// objects other than pods (ConfigMaps, Services, claims, …).
    static func quotaNotes(_ quotas: [ResourceQuota]) -> [String] {
        quotas.compactMap { q in
            if !q.scopesUnderstood {
                return
                    "ResourceQuota \(q.metadata.key): its scopes (\(q.scopes.map(\.scopeName).joined(separator: ", "))) are not evaluated; not enforced."
            }
            let other = q.hard.keys.filter { !ResourceQuota.podResources.contains($0) }.sorted()
            return other.isEmpty
                ? nil
                : "ResourceQuota \(q.metadata.key): only pods and their compute resources are enforced, not \(other.joined(separator: ", "))."
        }
    }

    /// Pod fields that are read and not simulated, each with the templates that use them
    /// (at most three named).
    static func fieldNotes(_ w: Workloads) -> [String] {
        let effects: [(field: String, effect: String)] = [
            ("livenessProbe", "fails only under a fail-probe fault; else no restarts"),
            ("lifecycle.preStop", "is not run; termination takes the shutdown timing"),
            ("readinessGates", "are taken as passed; only the containers decide readiness"),
            ("resources", "(pod-level) are not counted; the containers' requests are"),
            ("resourceClaims", "are not allocated (no dynamic resource allocation)"),
        ]
        var owners: [String: [String]] = [:]
        func record(_ owner: String, _ spec: PodSpec) {
            var fields = spec.unsimulatedFields
            if (spec.containers + spec.initContainers).contains(where: { $0.livenessProbe != nil }) {
                fields.append("livenessProbe")
            }
            // A sleep hook's duration is simulated; other hooks take no time here.
            if (spec.containers + spec.initContainers).contains(where: { $0.hasPreStopHook && $0.preStopSleepSeconds == nil }) {
                fields.append("lifecycle.preStop")
            }
            for f in fields { owners[f, default: []].append(owner) }
        }
        for d in w.deployments { record("Deployment \(d.metadata.key)", d.template.spec) }
        for r in w.replicaSets { record("\(r.kind) \(r.metadata.key)", r.template.spec) }
        for d in w.daemonSets { record("DaemonSet \(d.metadata.key)", d.template.spec) }
        for s in w.statefulSets { record("StatefulSet \(s.metadata.key)", s.template.spec) }
        for p in w.pods { record("Pod \(p.metadata.key)", p.spec) }
        for j in w.jobs { record("Job \(j.metadata.key)", j.spec.template.spec) }
        for c in w.cronJobs { record("CronJob \(c.metadata.key)", c.jobSpec.template.spec) }
        return effects.compactMap { field, effect in
            guard let names = owners[field] else { return nil }
            let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
            return "\(field) \(effect) (\(shown))."
        }
    }

    /// Groups of the API that are Kubernetes' own: no dot (core, apps, batch, …) or `*.k8s.io`.
    static func isCustomResource(_ apiVersion: String) -> Bool {
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
        return group.contains(".") && !group.hasSuffix(".k8s.io")
    }

    static func sentence(_ o: UnmodelledObject, _ w: Workloads, rescaled: [String: Int]) -> String? {
        let subject = "\(o.kind) \(o.displayName)"
        switch o.kind {
        case "HorizontalPodAutoscaler": return autoscaler(o, w, before: rescaled[o.displayName])
        case "PersistentVolume":
            return "\(subject): pre-provisioned volumes are not bound to claims; only dynamic provisioning is simulated."
        default: return nil
        }
    }

    /// "HorizontalPodAutoscaler shop/web: no load profile, replicas fixed at 3".
    static func autoscaler(_ o: UnmodelledObject, _ w: Workloads, before: Int?) -> String {
        let namespace = o.namespace.isEmpty ? "default" : o.namespace
        let bounds = o.maxReplicas.map { " (it would keep \(o.minReplicas ?? 1)–\($0))" } ?? ""
        guard let target = o.scaleTarget else { return "HorizontalPodAutoscaler \(o.displayName): no scaleTargetRef; ignored." }
        let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
        let key = "\(namespace)/\(parts.last ?? "")"
        let replicas: Int? =
            switch parts.first {
            case "Deployment": w.deployments.first { $0.metadata.key == key }?.replicas
            case "StatefulSet": w.statefulSets.first { $0.metadata.key == key }?.replicas
            case "ReplicaSet", "ReplicationController": w.replicaSets.first { $0.metadata.key == key }?.replicas
            default: nil
            }
        guard let replicas else {
            return "HorizontalPodAutoscaler \(o.displayName): its target \(target) is not in the scenario; ignored."
        }
        let range = "\(o.minReplicas ?? 1)–\(o.maxReplicas ?? replicas)"
        let moved = before.map { " (\($0) as written; its first sync moves it into \(range))" } ?? bounds
        return "HorizontalPodAutoscaler \(o.displayName): no load profile, replicas fixed at \(replicas) for \(target)\(moved)."
    }
}

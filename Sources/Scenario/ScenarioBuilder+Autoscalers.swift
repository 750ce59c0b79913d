import KubeModel
import SimKernel
import Simulation

/// `spec.load`: each workload's CPU demand, joined with the HorizontalPodAutoscaler that
/// scales it (if any) into the autoscalers the run simulates, with positioned errors.
extension ScenarioBuilder {
    struct Autoscaling {
        var specs: [AutoscalerSpec] = []
        /// The note of each simulated HorizontalPodAutoscaler, by `namespace/name`.
        var notes: [String: String] = [:]
        /// Notes for loads on targets that no HorizontalPodAutoscaler scales.
        var unscaledNotes: [String] = []
    }

    func autoscalers(_ manifests: ManifestSet) throws -> Autoscaling {
        var result = Autoscaling(), seen = Set<String>()
        for (i, load) in spec.load.enumerated() {
            let path: [PathKey] = [.key("load"), .index(i)]
            let target = try loadTarget(load.target, workloads: manifests.workloads, path: path + [.key("target")])
            let name = AutoscalerSpec(name: "", target: target, maxReplicas: 0, cpu: nil, load: .init(steps: [])).targetName
            guard seen.insert(name).inserted else { throw fail(path + [.key("target")], "\(name) has a load already") }
            let profile = try loadProfile(load.cpu, path: path + [.key("cpu")])
            guard let hpa = manifests.ignored.first(where: { isAutoscaler($0, of: target) }) else {
                result.specs.append(AutoscalerSpec(name: "", target: target, maxReplicas: Int.max, cpu: nil, load: profile))
                result.unscaledNotes.append(
                    "Load on \(name): no HorizontalPodAutoscaler scales it; its CPU utilisation is reported and its replicas stay fixed."
                )
                continue
            }
            let (cpu, unmodelled) = AutoscalerMetrics.cpuTarget(hpa.autoscaling)
            let minReplicas = hpa.minReplicas ?? 1, maxReplicas = max(minReplicas, hpa.maxReplicas ?? minReplicas)
            result.specs.append(
                AutoscalerSpec(
                    name: hpa.displayName, target: target, minReplicas: minReplicas, maxReplicas: maxReplicas,
                    cpu: cpu, behavior: AutoscalerMetrics.behavior(hpa.autoscaling?.behavior), load: profile))
            result.notes[hpa.displayName] = AutoscalerMetrics.note(
                hpa.displayName, target: name, cpu: cpu, unmodelled: unmodelled,
                minReplicas: minReplicas, maxReplicas: maxReplicas)
        }
        return result
    }

    private func isAutoscaler(_ o: UnmodelledObject, of target: AutoscalerSpec.Target) -> Bool {
        guard o.kind == "HorizontalPodAutoscaler", let ref = o.scaleTarget else { return false }
        let namespace = o.namespace.isEmpty ? "default" : o.namespace
        switch target {
        case .deployment(let ns, let n): return ref == "Deployment/\(n)" && namespace == ns
        case .statefulSet(let ns, let n): return ref == "StatefulSet/\(n)" && namespace == ns
        }
    }

    private func loadTarget(_ s: String, workloads: Workloads, path: [PathKey]) throws -> AutoscalerSpec.Target {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, ["deployment", "statefulset"].contains(parts[0]) else {
            throw fail(path, "\"\(s)\": expected deployment/NAMESPACE/NAME or statefulset/NAMESPACE/NAME")
        }
        let key = "\(parts[1])/\(parts[2])"
        if parts[0] == "deployment" {
            guard workloads.deployments.contains(where: { $0.metadata.key == key }) else {
                throw fail(
                    path,
                    "\"\(s)\": no Deployment \(key) (Deployments: \(Self.list(Set(workloads.deployments.map(\.metadata.key)))))")
            }
            return .deployment(namespace: parts[1], name: parts[2])
        }
        guard workloads.statefulSets.contains(where: { $0.metadata.key == key }) else {
            throw fail(
                path,
                "\"\(s)\": no StatefulSet \(key) (StatefulSets: \(Self.list(Set(workloads.statefulSets.map(\.metadata.key)))))")
        }
        return .statefulSet(namespace: parts[1], name: parts[2])
    }

    private func loadProfile(_ steps: [ScenarioFile.CPUStep], path: [PathKey]) throws -> LoadProfile {
        for (j, step) in steps.enumerated() {
            if j > 0, step.at.time <= steps[j - 1].at.time {
                throw fail(
                    path + [.index(j), .key("at")],
                    "steps must be in time order: \(step.at.time) is not after \(steps[j - 1].at.time)")
            }
            if step.at.time >= spec.duration.time {
                throw fail(path + [.index(j), .key("at")], "the step is at or after the end of the run (\(spec.duration.time))")
            }
        }
        return LoadProfile(steps: steps.map { .init(at: $0.at.time, millicores: Int64(($0.cores * 1000).rounded())) })
    }
}

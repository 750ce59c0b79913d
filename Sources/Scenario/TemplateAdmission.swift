import KubeModel
import Simulation

/// What the API server's mutating admission does to every pod of a template, applied once to
/// the template since the objects it reads are there from the start of the run:
/// LimitRanger's container defaults (plugin/pkg/admission/limitranger `defaultContainerResourceRequirements`,
/// `mergeContainerResources`: a limit or request the container does not set is taken from
/// the LimitRanges of its namespace, in order; init containers too) and the RuntimeClass
/// plugin's overhead and scheduling (plugin/pkg/admission/runtimeclass `setOverhead`,
/// `setScheduling`: `overhead.podFixed` becomes the pod's overhead, the class's node
/// selector and tolerations are added to the pod's).
enum TemplateAdmission {
    static func apply(_ set: inout ManifestSet) {
        let ranges = Dictionary(grouping: set.limitRanges, by: \.metadata.namespace)
        let runtimes = Dictionary(set.workloads.runtimeClasses.map { ($0.metadata.name, $0) }) { a, _ in a }
        set.workloads.forEachPodSpec { namespace, spec in
            for range in ranges[namespace] ?? [] {
                for i in spec.containers.indices { defaults(&spec.containers[i].resources, range) }
                for i in spec.initContainers.indices { defaults(&spec.initContainers[i].resources, range) }
            }
            if let name = spec.runtimeClassName, let rc = runtimes[name] { runtimeClass(&spec, rc) }
        }
        for i in set.workloads.cnpgClusters.indices {
            for range in ranges[set.workloads.cnpgClusters[i].metadata.namespace] ?? [] {
                defaults(&set.workloads.cnpgClusters[i].resources, range)
            }
        }
    }

    static func defaults(_ r: inout ResourceRequirements, _ range: LimitRange) {
        for (k, v) in range.defaultLimits where r.limits[k] == nil { r.limits[k] = v }
        for (k, v) in range.defaultRequests where r.requests[k] == nil { r.requests[k] = v }
    }

    static func runtimeClass(_ spec: inout PodSpec, _ rc: RuntimeClass) {
        if spec.overhead.isEmpty { spec.overhead = rc.podFixedOverhead }
        spec.nodeSelector.merge(rc.nodeSelector) { a, _ in a }
        for t in rc.tolerations where !spec.tolerations.contains(t) { spec.tolerations.append(t) }
    }
}

extension Workloads {
    /// Every pod template and bare pod, with its namespace, mutably.
    mutating func forEachPodSpec(_ body: (String, inout PodSpec) -> Void) {
        for i in deployments.indices { body(deployments[i].metadata.namespace, &deployments[i].template.spec) }
        for i in replicaSets.indices { body(replicaSets[i].metadata.namespace, &replicaSets[i].template.spec) }
        for i in daemonSets.indices { body(daemonSets[i].metadata.namespace, &daemonSets[i].template.spec) }
        for i in statefulSets.indices { body(statefulSets[i].metadata.namespace, &statefulSets[i].template.spec) }
        for i in pods.indices { body(pods[i].metadata.namespace, &pods[i].spec) }
        for i in jobs.indices { body(jobs[i].metadata.namespace, &jobs[i].spec.template.spec) }
        for i in cronJobs.indices { body(cronJobs[i].metadata.namespace, &cronJobs[i].jobSpec.template.spec) }
    }
}

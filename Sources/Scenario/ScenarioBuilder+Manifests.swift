import Catalog
import Foundation
import KubeModel
import Simulation

/// Everything the scenario's workloads hold: what the simulation runs, the StorageClasses
/// that shape its storage, and the objects it leaves out (named in the run's notes).
struct ManifestSet {
    var workloads = Workloads()
    var storageClasses: [StorageClassManifest] = []
    var limitRanges: [LimitRange] = []
    /// HorizontalPodAutoscalers that moved their target into bounds: the replicas before.
    var rescaled: [String: Int] = [:]
    /// Objects of kinds the simulation does not model, in the order they were read.
    var ignored: [UnmodelledObject] = []
}

extension ScenarioBuilder {
    func loadWorkloads(includeSystem: Bool = true) throws -> Workloads {
        try loadManifests(includeSystem: includeSystem).workloads
    }

    func loadManifests(includeSystem: Bool = true) throws -> ManifestSet {
        var set = ManifestSet()
        if includeSystem, let d = Distribution(rawValue: spec.platform.distribution) {
            let system = PlatformPresets.systemWorkloads(d, disable: Set(spec.platform.disable))
            set.workloads.deployments = system.deployments
            set.workloads.daemonSets = system.daemonSets
        }
        var keys = Set(
            set.workloads.deployments.map { "Deployment/\($0.metadata.key)" }
                + set.workloads.daemonSets.map { "DaemonSet/\($0.metadata.key)" })
        for i in spec.workloads.indices {
            for o in try objects(ofSource: i) {
                guard let key = set.add(o) else { continue }
                guard keys.insert(key).inserted else {
                    throw fail([.key("workloads"), .index(i)], "\(key) is defined twice")
                }
            }
        }
        TemplateAdmission.apply(&set)
        AutoscalerBounds.apply(&set)
        return set
    }

    /// The platform's StorageClasses, the manifests' over them, and the scenario's
    /// `platform.defaultStorageClass` last (it stands for annotating that class default).
    func storage(minor: Int, manifests: [StorageClassManifest]) throws -> StorageSpec {
        let (d, p) = try platformKinds()
        var storage = PlatformStorage.storage(platform: PlatformStorage.platformClasses(d, p, minor: minor), manifests: manifests)
        if let sc = spec.platform.defaultStorageClass {
            guard storage.storageClass(sc) != nil else {
                let known = storage.classes.map(\.name).joined(separator: ", ")
                throw fail(
                    [.key("platform"), .key("defaultStorageClass")],
                    "unknown storage class \"\(sc)\" (known: \(known.isEmpty ? "none" : known))")
            }
            storage.defaultClass = sc
        }
        return storage
    }

    /// The objects of `workloads[i]`: a manifest file's, or the inline object.
    func objects(ofSource i: Int) throws -> [KubeObject] {
        let source = spec.workloads[i]
        if let f = source.file {
            let url = f.hasPrefix("/") ? URL(fileURLWithPath: f) : baseDirectory.appendingPathComponent(f)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw fail(
                    [.key("workloads"), .index(i), .key("file")],
                    "manifest \(url.path) does not exist (paths are relative to the scenario file)")
            }
            return try ManifestLoader.load(path: url.path, kubernetesMinor: try kubernetesMinor())
        }
        guard let o = source.object else { return [] }
        if case .other(let u) = o,
            let message = RemovedAPI.refusal(apiVersion: u.apiVersion, kind: u.kind, minor: try kubernetesMinor())
        {
            throw fail([.key("workloads"), .index(i), .key("object"), .key("apiVersion")], message)
        }
        if let issue = KubeValidation.firstIssue(o) {
            throw fail([.key("workloads"), .index(i), .key("object")] + issue.path, issue.message)
        }
        return [o]
    }
}

extension ManifestSet {
    /// Files the object where it belongs; returns the key that must be unique, or nil for
    /// objects that are only listed.
    mutating func add(_ o: KubeObject) -> String? {
        switch o {
        case .deployment(let d): workloads.deployments.append(d); return "Deployment/\(d.metadata.key)"
        case .replicaSet(let r), .replicationController(let r):
            workloads.replicaSets.append(r); return "\(r.kind)/\(r.metadata.key)"
        case .daemonSet(let d): workloads.daemonSets.append(d); return "DaemonSet/\(d.metadata.key)"
        case .statefulSet(let s): workloads.statefulSets.append(s); return "StatefulSet/\(s.metadata.key)"
        case .pod(let p): workloads.pods.append(p); return "Pod/\(p.metadata.key)"
        case .podDisruptionBudget(let p): workloads.podDisruptionBudgets.append(p); return "PDB/\(p.metadata.key)"
        case .priorityClass(let p): workloads.priorityClasses.append(p); return "PriorityClass/\(p.metadata.name)"
        case .service(let s): workloads.services.append(s); return "Service/\(s.metadata.key)"
        case .persistentVolumeClaim(let c): workloads.persistentVolumeClaims.append(c); return "PVC/\(c.metadata.key)"
        case .cnpgCluster(let c): workloads.cnpgClusters.append(c); return "CNPGCluster/\(c.metadata.key)"
        case .storageClass(let c): storageClasses.append(c); return "StorageClass/\(c.metadata.name)"
        case .limitRange(let l): limitRanges.append(l); return "LimitRange/\(l.metadata.key)"
        case .resourceQuota(let q): workloads.resourceQuotas.append(q); return "ResourceQuota/\(q.metadata.key)"
        case .runtimeClass(let r): workloads.runtimeClasses.append(r); return "RuntimeClass/\(r.metadata.name)"
        case .job(let j): workloads.jobs.append(j); return "Job/\(j.metadata.key)"
        case .cronJob(let c): workloads.cronJobs.append(c); return "CronJob/\(c.metadata.key)"
        case .other(let u):
            ignored.append(u)
            return nil
        }
    }
}

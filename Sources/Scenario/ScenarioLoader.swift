import Catalog
import Foundation
import KubeModel
import SimKernel
import Simulation
import Yams

/// A scenario read, validated and turned into the simulation's input.
public struct LoadedScenario: Sendable {
    public let name: String
    public let description: String?
    public let path: String
    /// The scenario file's text, as stored with each run.
    public let text: String
    public let spec: ClusterSpec
    /// The platform as plain values (distribution, provider, region, machines, cost settings).
    public var platform = PlatformSpec(distribution: .k3s, provider: .hetzner, region: "eu-central")
    /// The scenario's own workloads, without the distribution's system pods.
    public var userWorkloads = Workloads()
    /// K3S components the scenario disables (`platform.disable`).
    public var disabledComponents: [String] = []
    /// Manifest files the scenario reads (`workloads[].file`), as written (relative to the
    /// scenario file unless absolute), in order: what must travel with it to run elsewhere.
    public var manifestFiles: [String] = []
}

/// Reads a scenario file (DESIGN.md "Scenario file"): strict YAML, positioned errors.
public enum ScenarioLoader {
    public static let supportedMinors = 28...35

    public static func load(path: String) throws -> LoadedScenario {
        let text = try Limits.readText(path: path, what: "the scenario file")
        return try load(text: text, path: path)
    }

    public static func load(text: String, path: String) throws -> LoadedScenario {
        guard text.utf8.count <= Limits.maxInputBytes else {
            throw ScenarioError(
                file: path,
                message: "the scenario is \(text.utf8.count) bytes, more than the limit of \(Limits.maxInputBytes) (4 MiB)")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw SourceMap(file: path, root: nil, text: text).convert(error) }
        guard let root else { throw ScenarioError(file: path, message: "the scenario file is empty") }
        if let e = ControlCharacters.check(root, file: path) { throw e }
        let map = SourceMap(file: path, root: root)
        do {
            let file = try YAMLDecoder().decode(ScenarioFile.self, from: root)
            let base = URL(fileURLWithPath: path).deletingLastPathComponent()
            let builder = ScenarioBuilder(file: file, baseDirectory: base)
            let spec = try builder.build()
            var loaded = LoadedScenario(
                name: file.metadata.name, description: file.metadata.description, path: path,
                text: text, spec: spec)
            loaded.platform = try builder.platformSpec(minor: try builder.kubernetesMinor())
            loaded.userWorkloads = try builder.userWorkloads()
            loaded.disabledComponents = file.spec.platform.disable
            loaded.manifestFiles = file.spec.workloads.compactMap(\.file)
            return loaded
        } catch let e as ScenarioError {
            throw e
        } catch {
            throw map.convert(error)
        }
    }
}

/// Turns a decoded scenario into a `ClusterSpec`: platform defaults, nodes, workloads
/// (manifests resolved relative to the scenario), timing and faults.
struct ScenarioBuilder {
    let file: ScenarioFile
    let baseDirectory: URL
    var spec: ScenarioFile.Spec { file.spec }

    func fail(_ path: [PathKey], _ message: String) -> PositionedFieldError {
        PositionedFieldError(path: [.key("spec")] + path, message: message)
    }

    func build() throws -> ClusterSpec {
        guard file.apiVersion == "k3sim/v1alpha1" else {
            throw PositionedFieldError(path: [.key("apiVersion")], message: "must be k3sim/v1alpha1")
        }
        guard file.kind == "Scenario" else { throw PositionedFieldError(path: [.key("kind")], message: "must be Scenario") }
        try validateScenarioFields()
        if let config = spec.scheduler, let issue = SchedulerValidation.issues(config).first {
            throw fail([.key("scheduler")] + issue.path, issue.message)
        }
        let minor = try kubernetesMinor()
        var params = ClusterParameters.defaults(kubernetesMinor: minor)
        try applySettings(&params)
        let serverNodes = try controlPlaneNodes(), pooled = try poolNodes()
        var nodes = try serverNodes + pooled + explicitNodes()
        if nodes.isEmpty {
            throw fail([.key("nodePools")], "the cluster has no nodes: add nodePools, nodes or a schedulable controlPlane")
        }
        var seen = Set<String>()
        for (i, n) in nodes.enumerated() where !seen.insert(n.name).inserted {
            // Point at what made the second node: an explicit node, or the name of its pool
            // (control-plane nodes come first and are all distinct).
            var path: [PathKey] = [.key("nodes"), .index(i - serverNodes.count - pooled.count)]
            if i < serverNodes.count + pooled.count {
                var end = serverNodes.count
                for (p, pool) in spec.nodePools.enumerated() {
                    end += max(0, pool.count)
                    if i < end { path = [.key("nodePools"), .index(p), .key("name")]; break }
                }
            }
            throw fail(path, "node name \(n.name) is used twice")
        }
        nodes.sort { $0.name < $1.name }
        let manifests = try loadManifests()
        let workloads = manifests.workloads
        try validateTotals(workloads, nodes: nodes)
        var controlPlane = ControlPlaneSpec.implicit
        if let cp = spec.controlPlane, let store = ControlPlaneSpec.Datastore(rawValue: cp.datastore) {
            let timing = etcdTiming(Catalog.Distribution(rawValue: spec.platform.distribution))
            controlPlane = ControlPlaneSpec(
                datastore: store, servers: (0..<cp.count).map { "server-\($0)" },
                heartbeatInterval: timing.heartbeat, electionTimeout: timing.election)
            if let e = cp.etcd {
                if let h = e.heartbeatInterval { controlPlane.heartbeatInterval = h.time }
                if let t = e.electionTimeout { controlPlane.electionTimeout = t.time }
                if let r = e.memberRoundTrip { controlPlane.memberRoundTrip = r.time }
            }
            controlPlane.serverBootTime = params.nodeBootTime
        }
        var clusterSpec = ClusterSpec(
            name: file.metadata.name, duration: spec.duration.time, seed: spec.seed ?? 1, parameters: params,
            nodes: nodes, workloads: workloads, timing: spec.timing.map(timingRule),
            faults: try faults(nodes: nodes, workloads: workloads), scheduler: spec.scheduler, notes: [])
        clusterSpec.controlPlane = controlPlane
        clusterSpec.startTime = try startTime()
        try applyPlatformBehaviour(&clusterSpec)
        clusterSpec.storage = try storage(minor: minor, manifests: manifests.storageClasses)
        let autoscaling = try autoscalers(manifests)
        clusterSpec.autoscalers = autoscaling.specs
        clusterSpec.notes +=
            StorageNotes.notes(workloads, storage: clusterSpec.storage)
            + OmissionNotes.notes(manifests, simulated: autoscaling.notes) + autoscaling.unscaledNotes
        if controlPlane.datastore == .embeddedEtcd && controlPlane.servers.count % 2 == 0 {
            clusterSpec.notes.append(
                "embedded etcd with an even number of servers (\(controlPlane.servers.count)): quorum is \(controlPlane.servers.count / 2 + 1), so it tolerates no more failures than \(controlPlane.servers.count - 1) servers would (k3s docs: use an odd count)."
            )
        }
        return clusterSpec
    }

    func kubernetesMinor() throws -> Int {
        let v = spec.platform.kubernetesVersion
        let parts = v.split(separator: ".")
        guard parts.count >= 2, parts[0] == "1", let minor = Int(parts[1]), ScenarioLoader.supportedMinors.contains(minor) else {
            throw fail(
                [.key("platform"), .key("kubernetesVersion")],
                "\"\(v)\" is not a supported version (1.\(ScenarioLoader.supportedMinors.lowerBound) to 1.\(ScenarioLoader.supportedMinors.upperBound))"
            )
        }
        _ = try platformKinds()
        return minor
    }

    func applySettings(_ p: inout ClusterParameters) throws {
        guard let s = spec.platform.settings?.values else { return }
        if let v = s["nodeMonitorGracePeriod"] as? SimTime { p.nodeMonitorGracePeriod = v }
        if let v = s["nodeMonitorPeriod"] as? SimTime {
            guard v > .zero else {
                throw fail([.key("platform"), .key("settings"), .key("nodeMonitorPeriod")], "must be positive")
            }
            p.nodeMonitorPeriod = v
        }
        if let v = s["nodeBootTime"] as? SimTime { p.nodeBootTime = v }
        if let v = s["apiLatency"] as? SimTime { p.apiLatency = v }
        if let v = s["nodeEvictionRate"] as? Double { p.nodeEvictionRate = v }
        if let v = s["secondaryNodeEvictionRate"] as? Double { p.secondaryNodeEvictionRate = v }
        if let v = s["unhealthyZoneThreshold"] as? Double { p.unhealthyZoneThreshold = v }
        if let v = s["largeClusterSizeThreshold"] as? Int64 { p.largeClusterSizeThreshold = Int(v) }
        if let v = s["defaultNotReadyTolerationSeconds"] as? Int64 { p.defaultNotReadyTolerationSeconds = v }
        if let v = s["defaultUnreachableTolerationSeconds"] as? Int64 { p.defaultUnreachableTolerationSeconds = v }
        if let v = s["nodeLeaseDurationSeconds"] as? Int64 {
            guard v >= 4 else {
                throw fail([.key("platform"), .key("settings"), .key("nodeLeaseDurationSeconds")], "must be at least 4")
            }
            p.nodeLeaseDuration = .seconds(v)
        }
    }

    func serverType(_ name: String, at path: [PathKey]) throws -> HetznerCatalog.ServerType {
        guard let t = HetznerCatalog.serverTypes[name.lowercased()] else {
            let known = HetznerCatalog.serverTypes.keys.sorted().joined(separator: ", ")
            throw fail(path, "unknown Hetzner server type \"\(name)\" (known: \(known))")
        }
        return t
    }

    func checkLocations(_ locations: [String], type: HetznerCatalog.ServerType, at path: [PathKey]) throws -> [String] {
        let locs = locations.isEmpty ? [type.locations[0]] : locations
        for (i, l) in locs.enumerated() {
            guard HetznerCatalog.datacenters[l] != nil else {
                throw fail(path + [.index(i)], "unknown Hetzner location \"\(l)\" (fsn1, nbg1, hel1, ash, hil, sin)")
            }
            guard type.locations.contains(l) else {
                throw fail(
                    path + [.index(i)], "\(type.name) is not offered in \(l) (only \(type.locations.joined(separator: ", ")))")
            }
        }
        return locs
    }

    func controlPlaneNodes() throws -> [NodeSpec] {
        guard usesK3sHetznerPreset else { return try platformNodes(minor: 0).filter { $0.pool == "control-plane" } }
        guard let cp = spec.controlPlane else { return [] }
        let path: [PathKey] = [.key("controlPlane")]
        guard cp.count >= 1 else { throw fail(path + [.key("count")], "needs at least 1 server") }
        guard ["sqlite", "embedded-etcd", "external", "managed"].contains(cp.datastore) else {
            throw fail(path + [.key("datastore")], "must be sqlite, embedded-etcd, external or managed")
        }
        if cp.datastore == "sqlite" && cp.count > 1 {
            throw fail(
                path + [.key("count")], "the sqlite datastore runs on one server only; use embedded-etcd for \(cp.count) servers")
        }
        let type = try serverType(cp.serverType, at: path + [.key("serverType")])
        let locs = try checkLocations(cp.locations, type: type, at: path + [.key("locations")])
        return (0..<cp.count).map { i in
            let name = "server-\(i)"
            var labels = K3sPreset.labels(name: name, type: type, location: locs[i % locs.count])
            labels.merge(K3sPreset.serverLabels(etcd: cp.datastore == "embedded-etcd")) { a, _ in a }
            return NodeSpec(
                name: name, labels: labels, taints: cp.schedulable ? [] : [K3sPreset.serverTaint],
                allocatable: K3sPreset.allocatable(vcpu: type.vcpu, memoryGiB: type.memoryGiB),
                allocatablePods: K3sPreset.maxPods, pool: "control-plane")
        }
    }

    func poolNodes() throws -> [NodeSpec] {
        guard usesK3sHetznerPreset else { return try platformNodes(minor: 0).filter { $0.pool != "control-plane" } }
        var result: [NodeSpec] = []
        for (p, pool) in spec.nodePools.enumerated() {
            let path: [PathKey] = [.key("nodePools"), .index(p)]
            guard pool.count >= 0 else { throw fail(path + [.key("count")], "must be 0 or more") }
            let type = try serverType(pool.serverType, at: path + [.key("serverType")])
            let locs = try checkLocations(pool.locations, type: type, at: path + [.key("locations")])
            for i in 0..<pool.count {
                let name = "\(pool.name)-\(i)"
                var labels = K3sPreset.labels(name: name, type: type, location: locs[i % locs.count])
                labels.merge(pool.labels) { _, b in b }
                result.append(
                    NodeSpec(
                        name: name, labels: labels, taints: pool.taints,
                        allocatable: K3sPreset.allocatable(vcpu: type.vcpu, memoryGiB: type.memoryGiB),
                        allocatablePods: K3sPreset.maxPods, pool: pool.name))
            }
        }
        return result
    }

    func explicitNodes() throws -> [NodeSpec] {
        try spec.nodes.enumerated().map { i, n in
            let list = n.allocatable ?? n.capacity
            guard list["cpu"] != nil, list["memory"] != nil else {
                throw fail([.key("nodes"), .index(i), .key("capacity")], "needs cpu and memory")
            }
            var labels = ["kubernetes.io/hostname": n.name, "kubernetes.io/os": "linux"]
            labels.merge(n.labels) { _, b in b }
            return NodeSpec(
                name: n.name, labels: labels, taints: n.taints, unschedulable: n.unschedulable,
                allocatable: Resources(list), allocatablePods: Int(list["pods"]?.value ?? 110), pool: "")
        }
    }

    func timingRule(_ t: ScenarioFile.Timing) -> PodTimingRule {
        var rule = PodTimingRule(
            selector: t.selector, imagePull: t.imagePull?.distribution, containerStart: t.containerStart?.distribution,
            appReady: t.appReady?.distribution, shutdown: t.shutdown?.distribution, imageSizeBytes: t.imageSize?.value)
        rule.runDuration = t.runDuration?.distribution
        rule.failureProbability = t.failureProbability
        rule.exitCode = t.exitCode.map { Int32($0) }
        return rule
    }
}

extension ScenarioLoader {
    /// A `KubeSchedulerConfiguration` file (`--scheduler-config`), strict, positioned errors.
    public static func loadSchedulerConfiguration(path: String) throws -> SchedulerConfiguration {
        let text = try Limits.readText(path: path, what: "the scheduler configuration")
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw SourceMap(file: path, root: nil, text: text).convert(error) }
        guard let root else { throw ScenarioError(file: path, message: "the scheduler configuration is empty") }
        if let e = ControlCharacters.check(root, file: path) { throw e }
        let map = SourceMap(file: path, root: root, text: text)
        let config: SchedulerConfiguration
        do { config = try YAMLDecoder().decode(SchedulerConfiguration.self, from: root) } catch { throw map.convert(error) }
        if let issue = SchedulerValidation.issues(config).first {
            throw map.error(path: issue.path, atKey: false, message: issue.message)
        }
        return config
    }

    /// The pod to explain: a Pod manifest, or a workload's pod template.
    ///
    /// `FILE#NAME` picks the object named NAME; a file with several candidates and no name is
    /// refused with their names, rather than explaining whichever comes first.
    public static func loadPodForExplain(path: String) throws -> PodManifest {
        var file = path, wanted: String?
        if let hash = path.lastIndex(of: "#"), !FileManager.default.fileExists(atPath: path) {
            file = String(path[..<hash]); wanted = String(path[path.index(after: hash)...])
        }
        let candidates: [(label: String, pod: PodManifest)] = try ManifestLoader.load(path: file).compactMap { object in
            func template(_ m: ObjectMeta, _ t: PodTemplateSpec) -> PodManifest {
                PodManifest(metadata: podMeta(m, t), spec: t.spec)
            }
            switch object {
            case .pod(let p): return ("Pod \(p.metadata.name)", p)
            case .deployment(let d): return ("Deployment \(d.metadata.name)", template(d.metadata, d.template))
            case .replicaSet(let r), .replicationController(let r):
                return ("\(r.kind) \(r.metadata.name)", template(r.metadata, r.template))
            case .daemonSet(let d): return ("DaemonSet \(d.metadata.name)", template(d.metadata, d.template))
            case .statefulSet(let s): return ("StatefulSet \(s.metadata.name)", template(s.metadata, s.template))
            default: return nil
            }
        }
        let names = candidates.map(\.label).joined(separator: ", ")
        if let wanted {
            let named = candidates.filter { $0.label.split(separator: " ").last.map(String.init) == wanted }
            guard named.count == 1 else {
                throw ScenarioError(
                    file: file,
                    message: named.isEmpty
                        ? "has no pod or workload named \"\(wanted)\" (it has: \(names.isEmpty ? "none" : names))"
                        : "has several objects named \"\(wanted)\" (\(named.map(\.label).joined(separator: ", ")))")
            }
            return named[0].pod
        }
        guard candidates.count <= 1 else {
            throw ScenarioError(
                file: file, message: "holds \(candidates.count) pods and workloads (\(names)): choose one with --pod \(file)#NAME"
            )
        }
        guard let only = candidates.first else {
            throw ScenarioError(
                file: file, message: "no Pod, Deployment, ReplicaSet, ReplicationController, DaemonSet or StatefulSet in the file"
            )
        }
        return only.pod
    }

    static func podMeta(_ owner: ObjectMeta, _ template: PodTemplateSpec) -> ObjectMeta {
        ObjectMeta(
            name: owner.name + "-pod", namespace: owner.namespace, labels: template.metadata.labels,
            annotations: template.metadata.annotations)
    }
}

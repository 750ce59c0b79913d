import Foundation
import Scenario
import Yams

/// A cluster written as a scenario (`k3sim live snapshot`).
public struct Snapshot: Sendable {
    public var name: String
    /// The scenario file's text: `k3sim run` accepts it as is.
    public var text: String
    /// Real node name → the node's name in the scenario (pool and server nodes are renamed).
    public var nodeNames: [String: String]
    /// What the snapshot could not carry over exactly.
    public var notes: [String]
    public var kubernetesVersion: String
}

/// A fault to add to the snapshot (the drill that `live validate` simulates).
public struct SnapshotFault: Sendable {
    public var at: String
    public var action: String
    public var target: String
    public var options: [String: String]
    public init(at: String, action: String, target: String, options: [String: String] = [:]) {
        self.at = at; self.action = action; self.target = target; self.options = options
    }
}

public enum SnapshotBuilder {
    public static func build(
        _ objects: ClusterObjects, name: String? = nil, faults: [SnapshotFault] = [],
        duration: String = "30m", takenAt: Date = Date()
    ) -> Snapshot {
        let layout = NodeLayout(nodes: objects.nodes)
        var notes = layout.notes
        let scenarioName = name ?? defaultName(objects.server)
        var minor = objects.version.minor
        if !ScenarioLoader.supportedMinors.contains(minor) {
            let clamped = min(max(minor, ScenarioLoader.supportedMinors.lowerBound), ScenarioLoader.supportedMinors.upperBound)
            notes.append("Kubernetes 1.\(minor) is simulated with the defaults of 1.\(clamped)")
            minor = clamped
        }
        if !objects.version.isK3s {
            notes.append(
                "the server is \(objects.version.gitVersion), not K3S: the platform is simulated as K3S with the cluster's nodes")
        }

        var platform: [(String, Node)] = [("distribution", Node("k3s")), ("provider", Node("hetzner"))]
        let firstLocation = layout.controlPlane?.locations.first ?? layout.pools.first?.locations.first
        if let l = firstLocation, let zone = HetznerCatalog.networkZones[l] { platform.append(("region", Node(zone))) }
        platform.append(("kubernetesVersion", quoted("1.\(minor)")))
        let disabled = ManifestCleaner.k3sDisabled(deployments: objects.deployments, daemonSets: objects.daemonSets)
        if !disabled.isEmpty { platform.append(("disable", flow(disabled.map { Node($0) }))) }

        var spec: [(String, Node)] = [
            ("duration", Node(duration)), ("seed", Node("1", Tag(.int))), ("platform", mapping(platform)),
        ]
        if let cp = layout.controlPlane {
            spec.append(
                (
                    "controlPlane",
                    mapping([
                        ("count", Node(String(cp.count), Tag(.int))), ("serverType", Node(cp.serverType)),
                        ("locations", flow(cp.locations.map { Node($0) })), ("datastore", Node(cp.datastore)),
                        ("schedulable", Node(cp.schedulable ? "true" : "false", Tag(.bool))),
                    ])
                ))
        }
        if !layout.pools.isEmpty {
            spec.append(
                (
                    "nodePools",
                    .sequence(
                        Node.Sequence(
                            layout.pools.map { p in
                                var m: [(String, Node)] = [
                                    ("name", Node(p.name)), ("serverType", Node(p.serverType)),
                                    ("count", Node(String(p.count), Tag(.int))),
                                    ("locations", flow(p.locations.map { Node($0) })),
                                ]
                                if !p.labels.isEmpty { m.append(("labels", yaml(.object(p.labels.mapValues { .string($0) })))) }
                                if !p.taints.isEmpty { m.append(("taints", yaml(.array(p.taints)))) }
                                return mapping(m)
                            }))
                ))
        }
        if !layout.explicit.isEmpty { spec.append(("nodes", yaml(.array(layout.explicit)))) }

        let workloads = workloadObjects(objects, notes: &notes)
        if !workloads.isEmpty {
            spec.append(("workloads", .sequence(Node.Sequence(workloads.map { mapping([("object", yaml($0))]) }))))
        }
        if !faults.isEmpty {
            spec.append(
                (
                    "faults",
                    .sequence(
                        Node.Sequence(
                            faults.map { f in
                                var m: [(String, Node)] = [
                                    ("at", Node(f.at)), ("action", Node(f.action)), ("target", Node(f.target)),
                                ]
                                // Plain scalars: option values are typed by YAML (`count: 1` is an integer, `timeout: 60s` a duration).
                                if !f.options.isEmpty {
                                    m.append(
                                        (
                                            "options",
                                            mapping(f.options.sorted { $0.key < $1.key }.map { ($0.key, Node($0.value)) })
                                        ))
                                }
                                return mapping(m)
                            }))
                ))
        }
        let root = mapping([
            ("apiVersion", Node("k3sim/v1alpha1")), ("kind", Node("Scenario")),
            (
                "metadata",
                mapping([
                    ("name", Node(scenarioName)),
                    ("description", Node("snapshot of \(objects.server) (\(objects.version.gitVersion))")),
                ])
            ),
            ("spec", mapping(spec)),
        ])
        var header = [
            "# Written by `k3sim live snapshot` from \(objects.server) (\(objects.version.gitVersion)) at \(ISO8601DateFormatter().string(from: takenAt)).",
            "# Read with GET requests only; Secrets and ConfigMaps are never read.",
        ]
        let renamed = layout.names.filter { $0.key != $0.value }.sorted { $0.value < $1.value }
        if !renamed.isEmpty {
            header.append("# Nodes in the scenario (real name → scenario name):")
            header += renamed.map { "#   \($0.key) → \($0.value)" }
        }
        header += notes.map { "# Note: \($0)" }
        let body = (try? Yams.serialize(node: root, width: -1, sortKeys: false)) ?? ""
        return Snapshot(
            name: scenarioName, text: header.joined(separator: "\n") + "\n" + body, nodeNames: layout.names,
            notes: notes, kubernetesVersion: "1.\(minor)")
    }

    /// `live-<API server host>`: what snapshots and drills of a cluster are stored under.
    public static func defaultName(_ server: String) -> String {
        let host = URLComponents(string: server)?.host ?? "cluster"
        let slug = host.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return "live-" + String(slug).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    /// The workload objects, cleaned, in a stable order (kind, namespace, name).
    static func workloadObjects(_ o: ClusterObjects, notes: inout [String]) -> [JSONValue] {
        var out: [JSONValue] = []
        func add(_ items: [JSONValue], _ apiVersion: String, _ kind: String, skip: (JSONValue) -> Bool = { _ in false }) {
            for item in items.sorted(by: { $0.key < $1.key }) where !skip(item) {
                out.append(ManifestCleaner.clean(item, apiVersion: apiVersion, kind: kind))
            }
        }
        add(o.priorityClasses, "scheduling.k8s.io/v1", "PriorityClass") { $0.name.hasPrefix("system-") }
        add(o.deployments, "apps/v1", "Deployment") {
            ManifestCleaner.isK3sComponent($0, kind: "Deployment") || $0.controller != nil
        }
        add(o.statefulSets, "apps/v1", "StatefulSet") { $0.controller != nil }
        add(o.daemonSets, "apps/v1", "DaemonSet") {
            ManifestCleaner.isK3sComponent($0, kind: "DaemonSet") || $0.controller != nil
        }
        add(o.podDisruptionBudgets, "policy/v1", "PodDisruptionBudget") { $0.controller != nil }
        add(o.services, "v1", "Service") { $0[path: "spec", "selector"]?.object?.isEmpty ?? true }
        add(o.persistentVolumeClaims, "v1", "PersistentVolumeClaim") {
            ManifestCleaner.isControllerClaim($0, statefulSets: o.statefulSets)
        }
        add(o.cnpgClusters, "postgresql.cnpg.io/v1", "Cluster")
        let owned = (o.deployments + o.statefulSets + o.daemonSets).filter { $0.controller != nil }
        if !owned.isEmpty {
            notes.append(
                "left out \(owned.count) workload(s) managed by another controller (\(owned.prefix(3).map(\.key).joined(separator: ", "))\(owned.count > 3 ? ", ..." : ""))"
            )
        }
        return out
    }

    // MARK: - YAML nodes

    static func mapping(_ pairs: [(String, Node)]) -> Node {
        .mapping(Node.Mapping(pairs.map { (Node($0.0), $0.1) }))
    }

    static func flow(_ items: [Node]) -> Node { .sequence(Node.Sequence(items, .implicit, .flow)) }

    /// A string that YAML would otherwise read as a number, boolean or null is quoted.
    static func scalar(_ s: String) -> Node {
        let plain = Node(s)
        let resolved = Resolver.default.resolveTag(of: plain)
        return resolved == .str && !s.isEmpty ? plain : quoted(s)
    }

    static func quoted(_ s: String) -> Node { .scalar(Node.Scalar(s, Tag(.str), .doubleQuoted)) }

    /// JSON to YAML; `apiVersion`, `kind`, `metadata`, `name` first, the rest sorted.
    static func yaml(_ v: JSONValue) -> Node {
        switch v {
        case .null: return Node("null", Tag(.null))
        case .bool(let b): return Node(b ? "true" : "false", Tag(.bool))
        case .int(let i): return Node(String(i), Tag(.int))
        case .double(let d):
            return Node(d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d), Tag(d == d.rounded() ? .int : .float))
        case .string(let s): return scalar(s)
        case .array(let a): return .sequence(Node.Sequence(a.map(yaml)))
        case .object(let o):
            let first = ["apiVersion", "kind", "metadata", "name", "namespace"]
            let leading = first.compactMap { k in o[k].map { (k, yaml($0)) } }
            let rest = o.filter { !first.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, yaml($0.value)) }
            return mapping(leading + rest)
        }
    }
}

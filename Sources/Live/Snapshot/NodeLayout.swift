import Foundation
import Scenario

/// How the snapshot describes the cluster's machines.
///
/// The control plane and node pools are used where the Hetzner catalog knows the server type and
/// location (the scenario then builds them as the hcloud CCM labels them), explicit nodes for
/// everything else. Pool and server nodes get the scenario's names (`<pool>-<i>`, `server-<i>`);
/// `names` maps real names to them so that a drill's target can be found in the simulation.
struct NodeLayout {
    struct ControlPlane {
        var count: Int; var serverType: String; var locations: [String]; var datastore: String; var schedulable: Bool
    }
    struct Pool {
        var name: String; var serverType: String; var count: Int; var locations: [String]; var labels: [String: String];
        var taints: [JSONValue]
    }

    var controlPlane: ControlPlane?
    var pools: [Pool] = []
    var explicit: [JSONValue] = []
    /// Real node name → name in the scenario.
    var names: [String: String] = [:]
    var notes: [String] = []

    /// Labels the platform sets itself; a pool keeps only the others (the user's own labels,
    /// which affinities and selectors may use).
    static let managedPrefixes = [
        "kubernetes.io/", "node.kubernetes.io/", "topology.kubernetes.io/", "beta.kubernetes.io/",
        "failure-domain.beta.kubernetes.io/", "node-role.kubernetes.io/", "k3s.io/", "node.k3s.io/",
        "instance.hetzner.cloud/", "csi.hetzner.cloud/", "p9.io/", "plan.upgrade.cattle.io/",
    ]

    static func isServer(_ n: JSONValue) -> Bool {
        let l = n.labels
        return l["node-role.kubernetes.io/control-plane"] == "true" || l["node-role.kubernetes.io/master"] == "true"
    }

    /// Taints the node lifecycle controller sets from conditions: a snapshot must not freeze them.
    static func persistentTaints(_ n: JSONValue) -> [JSONValue] {
        (n[path: "spec", "taints"]?.array ?? []).filter { t in
            let key = t["key"]?.string ?? ""
            return !key.hasPrefix("node.kubernetes.io/") && !key.hasPrefix("node.cloudprovider.kubernetes.io/")
        }.map { t in t.object.map { .object($0.filter { $0.key != "timeAdded" }) } ?? t }
    }

    static func hetznerType(_ n: JSONValue) -> (type: String, location: String)? {
        let l = n.labels
        guard let type = (l["node.kubernetes.io/instance-type"] ?? l["beta.kubernetes.io/instance-type"])?.lowercased(),
            let loc = l["topology.kubernetes.io/region"] ?? l["failure-domain.beta.kubernetes.io/region"],
            let t = HetznerCatalog.serverTypes[type], t.locations.contains(loc)
        else { return nil }
        let provider = n[path: "spec", "providerID"]?.string ?? ""
        guard provider.isEmpty || provider.hasPrefix("hcloud://") else { return nil }
        return (type, loc)
    }

    init(nodes: [JSONValue]) {
        let sorted = nodes.sorted { $0.name < $1.name }
        let servers = sorted.filter(Self.isServer), agents = sorted.filter { !Self.isServer($0) }
        layoutServers(servers)
        layoutAgents(agents)
    }

    mutating func layoutServers(_ servers: [JSONValue]) {
        guard !servers.isEmpty else { return }
        let typed = servers.compactMap(Self.hetznerType)
        guard typed.count == servers.count, Set(typed.map(\.type)).count == 1 else {
            notes.append(
                "control-plane nodes \(servers.map(\.name).joined(separator: ", ")) are not all one Hetzner server type: "
                    + "written as explicit nodes, so etcd and the API server are not simulated")
            for s in servers { addExplicit(s) }
            return
        }
        let etcd = servers.allSatisfy { $0.labels["node-role.kubernetes.io/etcd"] == "true" }
        let datastore = etcd ? "embedded-etcd" : servers.count == 1 ? "sqlite" : "external"
        let blocking = servers.flatMap(Self.persistentTaints).filter {
            ["NoSchedule", "NoExecute"].contains($0["effect"]?.string ?? "")
        }
        let (locations, order) = Self.roundRobin(zip(servers, typed).map { ($0.name, $1.location) })
        controlPlane = ControlPlane(
            count: servers.count, serverType: typed[0].type, locations: locations, datastore: datastore,
            schedulable: blocking.isEmpty)
        for (i, name) in order.enumerated() { names[name] = "server-\(i)" }
        if !blocking.isEmpty && !blocking.allSatisfy({ $0["key"]?.string == "CriticalAddonsOnly" }) {
            notes.append("the servers' taints are modelled as K3S's CriticalAddonsOnly=true:NoExecute")
        }
        if datastore == "embedded-etcd" {
            notes.append(
                "etcd timing is K3S's default (heartbeat 500 ms, election timeout 5 s); set spec.controlPlane.etcd if the servers run with other --etcd-arg values"
            )
        }
    }

    mutating func layoutAgents(_ agents: [JSONValue]) {
        // Group by type, user labels and taints: one pool per group.
        var groups: [(key: String, type: String, labels: [String: String], taints: [JSONValue], members: [(String, String)])] = []
        for n in agents {
            guard let (type, loc) = Self.hetznerType(n) else { addExplicit(n); continue }
            let labels = n.labels.filter { kv in !Self.managedPrefixes.contains { kv.key.hasPrefix($0) } }
            let taints = Self.persistentTaints(n)
            let key =
                "\(type)|\(labels.sorted { $0.key < $1.key })|\(String(decoding: JSONValue.array(taints).data(), as: UTF8.self))"
            if let i = groups.firstIndex(where: { $0.key == key }) {
                groups[i].members.append((n.name, loc))
            } else {
                groups.append((key, type, labels, taints, [(n.name, loc)]))
            }
        }
        var used: Set<String> = []
        for g in groups {
            var name = groups.count == 1 ? "agents" : "agents-\(g.type)"
            var k = 2
            while used.contains(name) { name = "agents-\(g.type)-\(k)"; k += 1 }
            used.insert(name)
            let (locations, order) = Self.roundRobin(g.members)
            pools.append(
                Pool(
                    name: name, serverType: g.type, count: g.members.count, locations: locations, labels: g.labels,
                    taints: g.taints))
            for (i, real) in order.enumerated() { names[real] = "\(name)-\(i)" }
        }
    }

    mutating func addExplicit(_ n: JSONValue) {
        var node: [String: JSONValue] = ["name": .string(n.name)]
        let capacity = n[path: "status", "capacity"]?.object ?? [:]
        let allocatable = n[path: "status", "allocatable"]?.object ?? [:]
        node["capacity"] = .object(capacity.filter { ["cpu", "memory", "pods"].contains($0.key) })
        if !allocatable.isEmpty {
            node["allocatable"] = .object(allocatable.filter { ["cpu", "memory", "pods"].contains($0.key) })
        }
        let labels = n.labels
        if !labels.isEmpty { node["labels"] = .object(labels.mapValues { .string($0) }) }
        let taints = Self.persistentTaints(n)
        if !taints.isEmpty { node["taints"] = .array(taints) }
        if n[path: "spec", "unschedulable"]?.bool == true { node["unschedulable"] = .bool(true) }
        explicit.append(.object(node))
        names[n.name] = n.name
    }

    /// A locations list and the real nodes in scenario order, so that every node lands in its real location.
    ///
    /// The scenario places pool node i in `locations[i % count]`. The list is the distinct
    /// locations when the counts are a round-robin split, else one entry per node.
    static func roundRobin(_ members: [(String, String)]) -> ([String], [String]) {
        var byLocation: [String: [String]] = [:]
        var distinct: [String] = []
        for (name, loc) in members {
            if byLocation[loc] == nil { distinct.append(loc) }
            byLocation[loc, default: []].append(name)
        }
        let count = { (l: String) in byLocation[l]?.count ?? 0 }
        distinct.sort { (count($0), $1) > (count($1), $0) }
        let n = members.count, k = distinct.count
        let isRoundRobin = distinct.enumerated().allSatisfy { i, l in count(l) == n / k + (i < n % k ? 1 : 0) }
        let locations = isRoundRobin ? distinct : distinct.flatMap { l in Array(repeating: l, count: count(l)) }
        var queues = byLocation
        let order = (0..<n).map { i -> String in
            let l = locations[i % locations.count]
            return queues[l, default: []].removeFirst()
        }
        return (locations, order)
    }
}

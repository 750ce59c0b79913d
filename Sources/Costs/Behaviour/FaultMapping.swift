import KubeModel
import Simulation

/// The scenario's faults aimed at another node set.
///
/// Node names, zones and pools differ between the scenario and a planned option, so a target is
/// carried over by its place: a name the option also has stays; otherwise the k-th server (nodes
/// labelled node-role.kubernetes.io/control-plane) becomes the option's k-th server, the k-th other
/// node its k-th other node, the k-th zone (or location) its k-th zone, the k-th pool of agents its
/// k-th pool. A fault with no counterpart (a server fault on a managed platform) is left out, with
/// a note. Workload and cluster targets need no mapping.
public enum FaultMapping {
    static let serverLabel = "node-role.kubernetes.io/control-plane"
    static let zoneLabel = "topology.kubernetes.io/zone", regionLabel = "topology.kubernetes.io/region"

    public static func map(_ faults: [FaultSpec], from scenario: [NodeSpec], to option: [NodeSpec]) -> (
        faults: [FaultSpec], notes: [String]
    ) {
        var mapped: [FaultSpec] = [], notes: [String] = []
        for f in faults {
            if let target = map(f.target, scenario, option) {
                var g = f
                g.target = target
                mapped.append(g)
            } else {
                notes.append("\(describe(f)) left out: this node set has no counterpart of \(f.target)")
            }
        }
        return (mapped, notes)
    }

    /// A fault in one short line of text.
    ///
    /// For instance "crash node/agents-1 at 600 s".
    public static func describe(_ f: FaultSpec) -> String {
        let s = f.at.seconds
        return "\(f.action.rawValue) \(f.target) at \(s == s.rounded() ? String(Int(s)) : String(s)) s"
    }

    static func map(_ t: FaultSpec.Target, _ scenario: [NodeSpec], _ option: [NodeSpec]) -> FaultSpec.Target? {
        switch t {
        case .node(let name):
            if option.contains(where: { $0.name == name }) { return t }
            guard let node = scenario.first(where: { $0.name == name }) else { return nil }
            let isServer = node.labels[serverLabel] != nil
            let mine = scenario.filter { ($0.labels[serverLabel] != nil) == isServer }
            let theirs = option.filter { ($0.labels[serverLabel] != nil) == isServer }
            guard let k = mine.firstIndex(where: { $0.name == name }), k < theirs.count else { return nil }
            return .node(theirs[k].name)
        case .zone(let z):
            if option.contains(where: { $0.labels[zoneLabel] == z || $0.labels[regionLabel] == z }) { return t }
            let key = scenario.contains { $0.labels[zoneLabel] == z } ? zoneLabel : regionLabel
            let theirs = distinct(option, zoneLabel)
            guard let k = distinct(scenario, key).firstIndex(of: z), k < theirs.count else { return nil }
            return .zone(theirs[k])
        case .pool(let p):
            if option.contains(where: { $0.pool == p }) { return t }
            let theirs = pools(option)
            guard let k = pools(scenario).firstIndex(of: p), k < theirs.count else { return nil }
            return .pool(theirs[k])
        default:
            return t
        }
    }

    /// A label's values in node order, each once.
    static func distinct(_ nodes: [NodeSpec], _ label: String) -> [String] {
        var out: [String] = []
        for n in nodes { if let v = n.labels[label], !out.contains(v) { out.append(v) } }
        return out
    }

    /// Pools of nodes that are not servers, in node order.
    static func pools(_ nodes: [NodeSpec]) -> [String] {
        var out: [String] = []
        for n in nodes where n.labels[serverLabel] == nil && !out.contains(n.pool) { out.append(n.pool) }
        return out
    }
}

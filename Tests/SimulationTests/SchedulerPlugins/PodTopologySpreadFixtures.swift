import KubeModel

@testable import Simulation

// Builders shared by the PodTopologySpread scoring and filtering restatements
// (pkg/scheduler/framework/plugins/podtopologyspread/{scoring,filtering}_test.go).

enum Spread {
    static let hostname = "kubernetes.io/hostname"

    /// One constraint, as `st.MakePod().SpreadConstraint(maxSkew, key, when, selector, minDomains,
    /// nodeAffinityPolicy, nodeTaintsPolicy, matchLabelKeys)` builds it; `exists` is the key of
    /// an Exists selector (upstream's fooSelector / barSelector), nil for no selector, "" for an
    /// empty selector.
    static func constraint(
        _ maxSkew: Int, _ key: String, _ when: String, exists: String? = "foo", minDomains: Int? = nil,
        nodeAffinityPolicy: String? = nil, nodeTaintsPolicy: String? = nil,
        matchLabelKeys: [String] = []
    ) -> String {
        var fields = [#""maxSkew": \#(maxSkew)"#, #""topologyKey": "\#(key)""#, #""whenUnsatisfiable": "\#(when)""#]
        if let exists {
            fields.append(
                exists.isEmpty
                    ? #""labelSelector": {}"#
                    : #""labelSelector": {"matchExpressions": [{"key": "\#(exists)", "operator": "Exists"}]}"#)
        }
        if let minDomains { fields.append(#""minDomains": \#(minDomains)"#) }
        if let nodeAffinityPolicy { fields.append(#""nodeAffinityPolicy": "\#(nodeAffinityPolicy)""#) }
        if let nodeTaintsPolicy { fields.append(#""nodeTaintsPolicy": "\#(nodeTaintsPolicy)""#) }
        if !matchLabelKeys.isEmpty {
            fields.append(#""matchLabelKeys": ["# + matchLabelKeys.map { "\"\($0)\"" }.joined(separator: ", ") + "]")
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func soft(
        _ maxSkew: Int, _ key: String, exists: String? = "foo", minDomains: Int? = nil,
        nodeAffinityPolicy: String? = nil, nodeTaintsPolicy: String? = nil, matchLabelKeys: [String] = []
    ) -> String {
        constraint(
            maxSkew, key, "ScheduleAnyway", exists: exists, minDomains: minDomains,
            nodeAffinityPolicy: nodeAffinityPolicy, nodeTaintsPolicy: nodeTaintsPolicy, matchLabelKeys: matchLabelKeys)
    }

    static func hard(
        _ maxSkew: Int, _ key: String, exists: String? = "foo", minDomains: Int? = nil,
        nodeAffinityPolicy: String? = nil, nodeTaintsPolicy: String? = nil
    ) -> String {
        constraint(
            maxSkew, key, "DoNotSchedule", exists: exists, minDomains: minDomains,
            nodeAffinityPolicy: nodeAffinityPolicy, nodeTaintsPolicy: nodeTaintsPolicy)
    }

    /// The incoming pod "p".
    static func incoming(
        labels: [String: String] = ["foo": ""], nodeSelector: [String: String] = [:],
        affinity: String? = nil, _ constraints: String...
    ) -> PodManifest {
        Fixture.pod(
            "p", labels: labels, nodeSelector: nodeSelector, affinity: affinity,
            spread: constraints.isEmpty ? nil : "[" + constraints.joined(separator: ", ") + "]")
    }

    /// Existing pods: `existing("node-a", 2)` is two pods labelled foo on node-a.
    static func existing(
        _ node: String, _ count: Int = 1, labels: [String: String] = ["foo": ""],
        namespace: String = "default", name: String = ""
    ) -> [PodManifest] {
        (0..<count).map { i in
            Fixture.pod(
                name.isEmpty ? "p-\(node)-\(labels.keys.sorted().joined())-\(i)" : name, namespace: namespace,
                labels: labels, node: node)
        }
    }

    static func node(_ name: String, _ labels: [String: String], taints: [Taint] = []) -> NodeSpec {
        Fixture.node(name, labels: labels, taints: taints)
    }

    /// Upstream's `taints`: node.kubernetes.io/unschedulable:NoSchedule.
    static let unschedulableTaint = [Taint(key: "node.kubernetes.io/unschedulable", effect: .NoSchedule)]

    /// `{"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": …}}` with one
    /// matchExpressions term.
    static func requiredNodeAffinity(_ key: String, _ op: String, _ values: [String]) -> String {
        let v = values.map { "\"\($0)\"" }.joined(separator: ", ")
        return
            #"{"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "\#(key)", "operator": "\#(op)", "values": [\#(v)]}]}]}}}"#
    }
}

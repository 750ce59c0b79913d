import KubeModel

// Builders shared by the InterPodAffinity scoring and filtering restatements
// (pkg/scheduler/framework/plugins/interpodaffinity/{scoring,filtering}_test.go): pod affinity
// in the API's JSON.

enum PodAffinityJSON {
    /// A label selector requirement.
    static func expr(_ key: String, _ op: String, _ values: [String] = []) -> String {
        let v = values.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"key": "\#(key)", "operator": "\#(op)", "values": [\#(v)]}"#
    }

    /// A PodAffinityTerm; `namespaceSelectorIn` is a `key In values` namespace selector.
    static func term(
        _ exprs: [String], _ topologyKey: String, namespaces: [String]? = nil,
        namespaceSelector: String? = nil
    ) -> String {
        var fields = [
            #""labelSelector": {"matchExpressions": ["# + exprs.joined(separator: ", ") + "]}",
            #""topologyKey": "\#(topologyKey)""#,
        ]
        if let namespaces { fields.append(#""namespaces": ["# + namespaces.map { "\"\($0)\"" }.joined(separator: ", ") + "]") }
        if let namespaceSelector { fields.append(#""namespaceSelector": \#(namespaceSelector)"#) }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func weighted(_ weight: Int, _ term: String) -> String { #"{"weight": \#(weight), "podAffinityTerm": \#(term)}"# }

    static func affinity(
        requiredAffinity: [String] = [], preferredAffinity: [String] = [],
        requiredAnti: [String] = [], preferredAnti: [String] = []
    ) -> String {
        func block(_ required: [String], _ preferred: [String]) -> String? {
            if required.isEmpty && preferred.isEmpty { return nil }
            var parts: [String] = []
            if !required.isEmpty {
                parts.append(#""requiredDuringSchedulingIgnoredDuringExecution": ["# + required.joined(separator: ", ") + "]")
            }
            if !preferred.isEmpty {
                parts.append(#""preferredDuringSchedulingIgnoredDuringExecution": ["# + preferred.joined(separator: ", ") + "]")
            }
            return "{" + parts.joined(separator: ", ") + "}"
        }
        var fields: [String] = []
        if let a = block(requiredAffinity, preferredAffinity) { fields.append(#""podAffinity": \#(a)"#) }
        if let a = block(requiredAnti, preferredAnti) { fields.append(#""podAntiAffinity": \#(a)"#) }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// `st.MakePod().PodAffinityIn(key, topologyKey, values, required)` and friends.
    static func requiredIn(_ key: String, _ topologyKey: String, _ values: [String]) -> String {
        term([expr(key, "In", values)], topologyKey)
    }
    static func requiredNotIn(_ key: String, _ topologyKey: String, _ values: [String]) -> String {
        term([expr(key, "NotIn", values)], topologyKey)
    }
    static func requiredExists(_ key: String, _ topologyKey: String) -> String { term([expr(key, "Exists")], topologyKey) }
}

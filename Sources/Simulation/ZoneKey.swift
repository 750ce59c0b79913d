/// A node's zone as the node lifecycle controller groups nodes for its eviction rates:
/// region and zone labels together, so that equal zone names in two regions stay apart
/// (upstream `GetZoneKey` in k8s.io/component-helpers/node/topology/helpers.go).
struct ZoneKey: Equatable {
    let region: String
    let zone: String

    init(labels: [String: String]) {
        region = labels["topology.kubernetes.io/region"] ?? ""
        zone = labels["topology.kubernetes.io/zone"] ?? ""
    }

    /// "region/zone", leaving out what is unset, for timelines.
    var label: String { [region, zone].filter { !$0.isEmpty }.joined(separator: "/") }
}

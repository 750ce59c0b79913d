import Foundation
import KubeModel
import Testing

@testable import Simulation

// KubeSchedulerConfiguration validation, after kube-scheduler's own checks
// (pkg/scheduler/apis/config/validation/validation.go and validation_pluginargs.go) and the
// invalid-weight cases of noderesources/least_allocated_test.go and most_allocated_test.go
// ("resource with negative weight", "resource with zero weight", "resource weight larger than
// MaxNodeScore"). k3sim rejects these at decode time, naming the field.

struct InvalidConfigCase: Sendable, CustomTestStringConvertible {
    var name: String
    var json: String
    var message: String
    var testDescription: String { name }
}

private func profile(_ pluginConfig: String) -> String {
    #"{"apiVersion": "kubescheduler.config.k8s.io/v1", "kind": "KubeSchedulerConfiguration", "profiles": [{"pluginConfig": [\#(pluginConfig)]}]}"#
}
private func fit(_ strategy: String) -> String {
    profile(#"{"name": "NodeResourcesFit", "args": {"scoringStrategy": \#(strategy)}}"#)
}

private let invalid: [InvalidConfigCase] = [
    // least_allocated_test.go, "resource with zero weight"
    InvalidConfigCase(
        name: "resource weight 0",
        json: fit(#"{"type": "LeastAllocated", "resources": [{"name": "memory", "weight": 1}, {"name": "cpu", "weight": 0}]}"#),
        message: "resource weight of cpu not in valid range [1, 100]"),
    // least_allocated_test.go, "resource weight larger than MaxNodeScore"
    InvalidConfigCase(
        name: "resource weight 101",
        json: fit(#"{"type": "LeastAllocated", "resources": [{"name": "memory", "weight": 1}, {"name": "cpu", "weight": 101}]}"#),
        message: "resource weight of cpu not in valid range [1, 100]"),
    // most_allocated_test.go, "resource with negative weight"
    InvalidConfigCase(
        name: "negative resource weight",
        json: fit(#"{"type": "MostAllocated", "resources": [{"name": "memory", "weight": -1}, {"name": "cpu", "weight": 1}]}"#),
        message: "resource weight of memory not in valid range [1, 100]"),
    // validation_pluginargs.go (RequestedToCapacityRatio shape): utilization must increase.
    InvalidConfigCase(
        name: "shape utilization out of order",
        json: fit(
            #"{"type": "RequestedToCapacityRatio", "requestedToCapacityRatio": {"shape": [{"utilization": 60, "score": 5}, {"utilization": 30, "score": 10}]}}"#
        ),
        message: "utilization values must be sorted in increasing order"),
    // validation_pluginargs.go (InterPodAffinityArgs): hardPodAffinityWeight in [0, 100].
    InvalidConfigCase(
        name: "hardPodAffinityWeight 101",
        json: profile(#"{"name": "InterPodAffinity", "args": {"hardPodAffinityWeight": 101}}"#),
        message: "not in valid range [0, 100]"),
    // validation.go: percentageOfNodesToScore in [0, 100].
    InvalidConfigCase(
        name: "percentageOfNodesToScore 101",
        json:
            #"{"apiVersion": "kubescheduler.config.k8s.io/v1", "kind": "KubeSchedulerConfiguration", "percentageOfNodesToScore": 101}"#,
        message: "not in valid range [0, 100]"),
    // validation.go: plugins must exist.
    InvalidConfigCase(
        name: "unknown plugin name",
        json: #"{"profiles": [{"plugins": {"score": {"enabled": [{"name": "NodeResourcesFitt"}]}}}]}"#,
        message: #"plugin "NodeResourcesFitt" does not exist"#),
    // validation_pluginargs.go (PodTopologySpreadArgs): System defaulting takes no defaultConstraints.
    InvalidConfigCase(
        name: "defaultConstraints with defaultingType System",
        json: profile(
            #"{"name": "PodTopologySpread", "args": {"defaultingType": "System", "defaultConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway"}]}}"#
        ),
        message: #"when .defaultingType is "System", .defaultConstraints must be empty"#),
]

@Suite("KubeSchedulerConfiguration validation")
struct SchedulerConfigurationValidationTests {
    @Test(arguments: invalid)
    func rejected(_ c: InvalidConfigCase) {
        #expect {
            _ = try JSONDecoder().decode(SchedulerConfiguration.self, from: Data(c.json.utf8))
        } throws: { error in
            String(describing: error).contains(c.message)
        }
    }

    /// The valid counterparts decode, and the profile takes their args.
    @Test func validArgsReachTheProfile() throws {
        let config = try JSONDecoder().decode(
            SchedulerConfiguration.self,
            from: Data(
                profile(
                    """
                    {"name": "NodeResourcesFit", "args": {"scoringStrategy": {"type": "MostAllocated",
                        "resources": [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 100}]}}},
                    {"name": "InterPodAffinity", "args": {"hardPodAffinityWeight": 100}}
                    """
                ).utf8))
        let p = SchedulerProfile(config: config.profiles[0], global: config)
        let fit = try #require(p.scorers.first { $0.plugin.name == "NodeResourcesFit" }?.plugin as? NodeResourcesFit)
        #expect(fit.args.strategy == .MostAllocated)
        #expect(fit.args.resources == weights(("cpu", 1), ("memory", 100)))
        let ipa = try #require(p.scorers.first { $0.plugin.name == "InterPodAffinity" }?.plugin as? InterPodAffinity)
        #expect(ipa.hardPodAffinityWeight == 100)
    }
}

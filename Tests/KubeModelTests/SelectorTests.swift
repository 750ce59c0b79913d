import Foundation
import Testing

@testable import KubeModel

/// `metav1.LabelSelector` → `labels.Selector` (apimachinery labels/selector.go,
/// `Requirement.Matches`): In needs the key present with a listed value; NotIn matches
/// when the key is absent or its value is not listed; Exists / DoesNotExist test presence.
@Suite struct LabelSelectorTests {
    typealias Req = LabelSelectorRequirement
    static let pod = ["app": "web", "tier": "frontend", "track": "stable"]

    @Test(arguments: [
        (Req(key: "app", operator: .In, values: ["web", "api"]), true),
        (Req(key: "app", operator: .In, values: ["api"]), false),
        (Req(key: "zone", operator: .In, values: ["a"]), false),  // absent key: no match
        (Req(key: "app", operator: .In, values: []), false),
        (Req(key: "app", operator: .NotIn, values: ["api"]), true),
        (Req(key: "app", operator: .NotIn, values: ["web"]), false),
        (Req(key: "zone", operator: .NotIn, values: ["a"]), true),  // absent key: match
        (Req(key: "app", operator: .Exists), true),
        (Req(key: "zone", operator: .Exists), false),
        (Req(key: "app", operator: .DoesNotExist), false),
        (Req(key: "zone", operator: .DoesNotExist), true),
        (Req(key: "App", operator: .Exists), false),  // keys are case-sensitive
    ])
    func requirement(_ r: Req, matches: Bool) {
        #expect(r.matches(Self.pod) == matches)
    }

    @Test func emptySelectorMatchesEverything() {
        // LabelSelectorAsSelector: an empty (non-nil) selector is labels.Everything().
        let s = LabelSelector()
        #expect(s.isEmpty)
        #expect(s.matches([:]))
        #expect(s.matches(Self.pod))
    }

    @Test func matchLabelsAndExpressionsAreANDed() {
        let s = LabelSelector(
            matchLabels: ["app": "web"],
            matchExpressions: [Req(key: "track", operator: .NotIn, values: ["canary"])])
        #expect(!s.isEmpty)
        #expect(s.matches(Self.pod))
        #expect(s.matches(["app": "web"]))  // track absent: NotIn holds
        #expect(!s.matches(["app": "web", "track": "canary"]))
        #expect(!s.matches(["app": "api", "track": "stable"]))
        #expect(!s.matches(["tier": "frontend"]))  // matchLabels key absent
        #expect(!LabelSelector(matchLabels: ["app": ""]).matches([:]))  // "" ≠ absent
        #expect(LabelSelector(matchLabels: ["app": ""]).matches(["app": ""]))
    }

    @Test func multipleMatchLabelsMustAllHold() {
        let s = LabelSelector(matchLabels: ["app": "web", "tier": "frontend"])
        #expect(s.matches(Self.pod))
        #expect(!s.matches(["app": "web"]))
    }

    @Test func decodesFromJSON() throws {
        let json = #"""
            {"matchLabels": {"app": "web"},
             "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "staging"]},
                                  {"key": "legacy", "operator": "DoesNotExist"}]}
            """#
        let s = try JSONDecoder().decode(LabelSelector.self, from: Data(json.utf8))
        #expect(s.matchLabels == ["app": "web"])
        #expect(
            s.matchExpressions == [
                Req(key: "env", operator: .In, values: ["prod", "staging"]),
                Req(key: "legacy", operator: .DoesNotExist),
            ])
        #expect(s.matches(["app": "web", "env": "prod"]))
        #expect(!s.matches(["app": "web", "env": "prod", "legacy": "true"]))
        #expect(try JSONDecoder().decode(LabelSelector.self, from: Data("{}".utf8)).isEmpty)
    }

    @Test func rejectsUnknownOperatorsAndFields() {
        // Operators are case-sensitive enum values.
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Req.self, from: Data(#"{"key": "a", "operator": "in"}"#.utf8))
        }
        // Gt / Lt exist only for node selectors.
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Req.self, from: Data(#"{"key": "a", "operator": "Gt", "values": ["1"]}"#.utf8))
        }
        do {
            _ = try JSONDecoder().decode(LabelSelector.self, from: Data(#"{"matchLabel": {"a": "b"}}"#.utf8))
            Issue.record("decoded a misspelt field")
        } catch let e as UnknownFieldError {
            #expect(e.field == "matchLabel")
            #expect(e.suggestion == "matchLabels")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

/// `v1.NodeSelectorRequirement` / `NodeSelectorTerm` / `NodeSelector`
/// (k8s.io/component-helpers/scheduling/corev1/nodeaffinity): Gt/Lt parse both sides as
/// base-10 int64 and fail to match on anything else; requirements of a term are ANDed,
/// terms are ORed, and an empty term matches nothing.
@Suite struct NodeSelectorTests {
    typealias Req = NodeSelectorRequirement
    static let node = ["kubernetes.io/hostname": "node-1", "cores": "16", "zone": "a", "gen": "v2", "neg": "-3"]

    @Test(arguments: [
        (Req(key: "cores", operator: .Gt, values: ["8"]), true),  // 16 > 8
        (Req(key: "cores", operator: .Gt, values: ["16"]), false),  // strict
        (Req(key: "cores", operator: .Lt, values: ["32"]), true),
        (Req(key: "cores", operator: .Lt, values: ["16"]), false),
        (Req(key: "cores", operator: .Gt, values: ["+8"]), true),  // ParseInt accepts a sign
        (Req(key: "cores", operator: .Gt, values: ["008"]), true),  // and leading zeros
        (Req(key: "neg", operator: .Lt, values: ["0"]), true),  // −3 < 0
        (Req(key: "neg", operator: .Gt, values: ["-4"]), true),
        (Req(key: "gen", operator: .Gt, values: ["1"]), false),  // label "v2" is not an integer
        (Req(key: "cores", operator: .Gt, values: ["eight"]), false),  // value not an integer
        (Req(key: "cores", operator: .Gt, values: ["8.5"]), false),
        (Req(key: "cores", operator: .Gt, values: ["1", "2"]), false),  // exactly one value required
        (Req(key: "cores", operator: .Lt, values: []), false),
        (Req(key: "ram", operator: .Gt, values: ["1"]), false),  // absent key
        (Req(key: "zone", operator: .In, values: ["a", "b"]), true),
        (Req(key: "zone", operator: .In, values: ["b"]), false),
        (Req(key: "zone", operator: .NotIn, values: ["b"]), true),
        (Req(key: "rack", operator: .NotIn, values: ["r1"]), true),  // absent key
        (Req(key: "zone", operator: .Exists), true),
        (Req(key: "rack", operator: .DoesNotExist), true),
    ])
    func requirement(_ r: Req, matches: Bool) {
        #expect(r.matches(Self.node) == matches)
    }

    static let fields = ["metadata.name": "node-1"]

    @Test func termRequirementsAreANDed() {
        let term = NodeSelectorTerm(matchExpressions: [
            Req(key: "zone", operator: .In, values: ["a"]),
            Req(key: "cores", operator: .Gt, values: ["32"]),
        ])
        #expect(!term.matches(labels: Self.node, fields: Self.fields))
        let ok = NodeSelectorTerm(matchExpressions: [
            Req(key: "zone", operator: .In, values: ["a"]),
            Req(key: "cores", operator: .Gt, values: ["4"]),
        ])
        #expect(ok.matches(labels: Self.node, fields: Self.fields))
    }

    @Test func emptyTermMatchesNothing() {
        #expect(!NodeSelectorTerm().matches(labels: Self.node, fields: Self.fields))
        #expect(!NodeSelectorTerm().matches(labels: [:], fields: [:]))
    }

    @Test func termsAreORed() {
        let miss = NodeSelectorTerm(matchExpressions: [Req(key: "zone", operator: .In, values: ["b"])])
        let hit = NodeSelectorTerm(matchExpressions: [Req(key: "zone", operator: .In, values: ["a"])])
        #expect(NodeSelector(nodeSelectorTerms: [miss, hit]).matches(labels: Self.node, fields: Self.fields))
        #expect(NodeSelector(nodeSelectorTerms: [hit, miss]).matches(labels: Self.node, fields: Self.fields))
        #expect(!NodeSelector(nodeSelectorTerms: [miss, miss]).matches(labels: Self.node, fields: Self.fields))
        // An empty term does not spoil the others, and a selector without terms matches nothing.
        #expect(NodeSelector(nodeSelectorTerms: [NodeSelectorTerm(), hit]).matches(labels: Self.node, fields: Self.fields))
        #expect(!NodeSelector(nodeSelectorTerms: [NodeSelectorTerm()]).matches(labels: Self.node, fields: Self.fields))
        #expect(!NodeSelector(nodeSelectorTerms: []).matches(labels: Self.node, fields: Self.fields))
    }

    @Test func matchFieldsOnMetadataName() {
        let pin = NodeSelectorTerm(matchFields: [Req(key: "metadata.name", operator: .In, values: ["node-1"])])
        #expect(pin.matches(labels: Self.node, fields: ["metadata.name": "node-1"]))
        #expect(!pin.matches(labels: Self.node, fields: ["metadata.name": "node-2"]))
        // Fields are not labels: a label called metadata.name does not satisfy matchFields.
        #expect(!pin.matches(labels: ["metadata.name": "node-1"], fields: ["metadata.name": "node-2"]))
        let avoid = NodeSelectorTerm(matchFields: [Req(key: "metadata.name", operator: .NotIn, values: ["node-1"])])
        #expect(!avoid.matches(labels: [:], fields: ["metadata.name": "node-1"]))
        #expect(avoid.matches(labels: [:], fields: ["metadata.name": "node-3"]))
        // matchExpressions and matchFields of one term are ANDed.
        let both = NodeSelectorTerm(
            matchExpressions: [Req(key: "zone", operator: .In, values: ["b"])],
            matchFields: [Req(key: "metadata.name", operator: .In, values: ["node-1"])])
        #expect(!both.matches(labels: Self.node, fields: ["metadata.name": "node-1"]))
    }

    /// The daemonset controller's node affinity (`ReplaceDaemonSetPodNodeNameNodeAffinity`)
    /// as it appears in a manifest.
    @Test func decodesNodeAffinity() throws {
        let json = #"""
            {"nodeAffinity": {
              "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]},
                {"matchExpressions": [{"key": "cores", "operator": "Gt", "values": ["32"]}]}]},
              "preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 50, "preference": {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}}]}}
            """#
        let a = try JSONDecoder().decode(Affinity.self, from: Data(json.utf8))
        let required = try #require(a.nodeAffinity?.required)
        #expect(required.nodeSelectorTerms.count == 2)
        #expect(required.matches(labels: Self.node, fields: ["metadata.name": "node-1"]))
        #expect(!required.matches(labels: Self.node, fields: ["metadata.name": "node-9"]))
        #expect(a.nodeAffinity?.preferred.first?.weight == 50)
        #expect(a.nodeAffinity?.preferred.first?.preference.matches(labels: Self.node, fields: [:]) == true)
        #expect(a.podAffinity == nil && a.podAntiAffinity == nil)
    }
}

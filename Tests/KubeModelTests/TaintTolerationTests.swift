import Foundation
import Testing

@testable import KubeModel

/// `Toleration.ToleratesTaint` (k8s.io/api/core/v1/toleration.go): an empty toleration
/// effect matches every effect; an empty key matches every key (validation only allows
/// it with Exists); `Exists` ignores the value; `Equal` (and the empty operator)
/// compares values exactly.
@Suite struct TaintTolerationTests {
    static let noSchedule = Taint(key: "dedicated", value: "gpu", effect: .NoSchedule)
    static let noExecute = Taint(key: "node.kubernetes.io/unreachable", effect: .NoExecute)
    static let prefer = Taint(key: "dedicated", value: "gpu", effect: .PreferNoSchedule)

    @Test(arguments: [
        // (toleration, taint, tolerated)
        (Toleration(key: "dedicated", operator: .Equal, value: "gpu", effect: .NoSchedule), noSchedule, true),
        (Toleration(key: "dedicated", operator: .Equal, value: "cpu", effect: .NoSchedule), noSchedule, false),
        (Toleration(key: "dedicated", operator: .Equal, value: "GPU", effect: .NoSchedule), noSchedule, false),
        (Toleration(key: "dedicated", operator: .Equal, value: "gpu", effect: .NoExecute), noSchedule, false),
        (Toleration(key: "dedicated", operator: .Equal, value: "gpu"), noSchedule, true),  // any effect
        (Toleration(key: "dedicated", operator: .Equal, value: "gpu"), prefer, true),
        (Toleration(key: "dedicated", operator: .Exists, effect: .NoSchedule), noSchedule, true),
        (Toleration(key: "dedicated", operator: .Exists, value: "ignored"), noSchedule, true),  // value ignored
        (Toleration(key: "other", operator: .Exists), noSchedule, false),
        (Toleration(key: "", operator: .Exists), noSchedule, true),  // tolerates everything
        (Toleration(key: "", operator: .Exists), noExecute, true),
        (Toleration(key: "", operator: .Exists), prefer, true),
        (Toleration(key: "", operator: .Exists, effect: .NoExecute), noExecute, true),
        (Toleration(key: "", operator: .Exists, effect: .NoExecute), noSchedule, false),
        (
            Toleration(key: Taint.unreachableKey, operator: .Exists, effect: .NoExecute, tolerationSeconds: 300),
            noExecute, true
        ),  // DefaultTolerationSeconds
        (Toleration(key: Taint.unreachableKey, operator: .Equal, effect: .NoExecute), noExecute, true),  // "" == ""
        (Toleration(key: Taint.unreachableKey, operator: .Equal, value: "x"), noExecute, false),
        // Empty key with Equal is rejected by validation, but ToleratesTaint itself only
        // compares values: it tolerates any taint whose value is the toleration's.
        (Toleration(key: "", operator: .Equal, value: "gpu"), noSchedule, true),
        (Toleration(key: "", operator: .Equal, value: ""), noSchedule, false),
    ])
    func tolerates(_ t: Toleration, _ taint: Taint, expected: Bool) {
        #expect(t.tolerates(taint) == expected)
    }

    @Test func untoleratedFiltersByEffect() {
        let taints = [
            Self.noSchedule, Self.prefer, Self.noExecute,
            Taint(key: Taint.unschedulableKey, effect: .NoSchedule),
        ]
        let tolerations = [Toleration(key: "dedicated", operator: .Equal, value: "gpu", effect: .NoSchedule)]
        // The scheduler's TaintToleration filter looks at NoSchedule and NoExecute only.
        let left = tolerations.untolerated(taints, effects: [.NoSchedule, .NoExecute])
        #expect(left == [Self.noExecute, Taint(key: Taint.unschedulableKey, effect: .NoSchedule)])
        #expect(tolerations.untolerated(taints, effects: [.PreferNoSchedule]) == [Self.prefer])
        #expect([Toleration(key: "", operator: .Exists)].untolerated(taints, effects: Set(TaintEffect.allCases)).isEmpty)
        #expect([Toleration]().tolerate(Self.noSchedule) == false)
        #expect(tolerations.tolerate(Self.noSchedule))
    }

    @Test func taintIdentityIsKeyAndEffect() {
        // MatchTaint: same key and effect, whatever the value.
        #expect(Self.noSchedule.sameIdentity(Taint(key: "dedicated", value: "other", effect: .NoSchedule)))
        #expect(!Self.noSchedule.sameIdentity(Self.prefer))
    }

    static func toleration(_ json: String) throws -> Toleration {
        try JSONDecoder().decode(Toleration.self, from: Data(json.utf8))
    }

    @Test func decodesTolerationsWithDefaults() throws {
        let t = try Self.toleration(#"{"key": "dedicated", "value": "gpu"}"#)
        #expect(t.operator == .Equal)  // omitted operator means Equal
        #expect(t.effect == nil)  // omitted effect: all effects
        #expect(t.tolerationSeconds == nil)
        let all = try Self.toleration(#"{"operator": "Exists"}"#)
        #expect(all.key == "" && all.tolerates(Self.noExecute))
        let timed = try Self.toleration(
            #"{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}"#)
        #expect(timed.effect == .NoExecute && timed.tolerationSeconds == 300)
        // An explicit empty effect is "all effects" too.
        #expect(try Self.toleration(#"{"key": "k", "operator": "Exists", "effect": ""}"#).effect == nil)
    }

    /// core/v1 validation accepts `operator: ""` ("empty operator means Equal",
    /// validateTolerations) and ToleratesTaint treats it as Equal.
    @Test func emptyOperatorMeansEqual() throws {
        let t = try Self.toleration(#"{"key": "dedicated", "operator": "", "value": "gpu", "effect": "NoSchedule"}"#)
        #expect(t.operator == .Equal)
        #expect(t.tolerates(Self.noSchedule))
        #expect(!t.tolerates(Taint(key: "dedicated", value: "cpu", effect: .NoSchedule)))
    }

    @Test(arguments: [
        #"{"key": "k", "effect": "NoSchedul"}"#,  // bad effect
        #"{"key": "k", "operator": "exists"}"#,  // operators are case-sensitive
        #"{"key": "k", "operator": "Exist"}"#,
        #"{"key": "k", "tolerationSecond": 5}"#,  // unknown field
    ])
    func rejectsBadTolerations(_ json: String) {
        #expect(throws: (any Error).self) { try Self.toleration(json) }
    }

    @Test func decodesTaints() throws {
        let t = try JSONDecoder().decode(
            Taint.self,
            from: Data(
                #"{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": "2024-05-01T10:00:00Z"}"#.utf8))
        #expect(t == Taint(key: Taint.unreachableKey, effect: .NoExecute))
        #expect(t.value == "")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Taint.self, from: Data(#"{"key": "k", "effect": "Never"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {  // effect is required on a taint
            try JSONDecoder().decode(Taint.self, from: Data(#"{"key": "k"}"#.utf8))
        }
    }

    @Test func wellKnownTaintKeys() {
        // k8s.io/api/core/v1/well_known_taints.go
        #expect(Taint.notReadyKey == "node.kubernetes.io/not-ready")
        #expect(Taint.unreachableKey == "node.kubernetes.io/unreachable")
        #expect(Taint.unschedulableKey == "node.kubernetes.io/unschedulable")
        #expect(Taint.outOfServiceKey == "node.kubernetes.io/out-of-service")
        #expect(Taint.memoryPressureKey == "node.kubernetes.io/memory-pressure")
        #expect(Taint.diskPressureKey == "node.kubernetes.io/disk-pressure")
        #expect(Taint.pidPressureKey == "node.kubernetes.io/pid-pressure")
        #expect(Taint.networkUnavailableKey == "node.kubernetes.io/network-unavailable")
    }
}

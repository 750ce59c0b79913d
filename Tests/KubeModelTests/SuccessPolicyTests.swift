import Testing

@testable import KubeModel

/// kubernetes pkg/controller/job/success_policy_test.go `TestMatchSuccessPolicy` (the cases
/// with the JobSuccessPolicy gate on, as it is since 1.33), restated as data: completions 10,
/// the succeeded indexes, the rules as (succeededIndexes, succeededCount), and the message.
struct SuccessPolicyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var succeeded: [ClosedRange<Int>]
        var rules: [(String?, Int?)]?
        var message: String?
        var testDescription: String { name }
    }

    static let matched = "Matched rules at index 0"

    static let cases: [Case] = [
        Case(name: "successPolicy is null", succeeded: [0...0], rules: nil),
        Case(name: "any rules are nothing", succeeded: [0...0], rules: []),
        Case(name: "rules.succeededIndexes is invalid format", succeeded: [0...0], rules: [("invalid-form", nil)]),
        Case(name: "succeededIndexes matched rules", succeeded: [0...2, 4...7], rules: [("0-2", nil)], message: matched),
        Case(name: "succeededIndexes didn't match rules", succeeded: [0...2], rules: [("3", nil)]),
        Case(name: "succeededCount matched", succeeded: [0...2], rules: [(nil, 2)], message: matched),
        Case(name: "succeededCount didn't match", succeeded: [0...2], rules: [(nil, 4)]),
        Case(
            name: "multiple rules; met one of rules", succeeded: [0...2, 4...7], rules: [("9", nil), ("4,6", nil)],
            message: "Matched rules at index 1"),
        Case(
            name: "multiple rules; met all rules", succeeded: [0...2, 4...7], rules: [("0,1", nil), ("5", nil)], message: matched),
        Case(name: "indexes and count; met", succeeded: [0...2, 4...7], rules: [("3-6", 2)], message: matched),
        Case(name: "indexes and count; didn't match", succeeded: [0...2, 6...7], rules: [("3-6", 2)]),
        Case(name: "succeededIndexes are nothing", succeeded: [], rules: [(nil, 4)]),
        Case(name: "rules is proper subset", succeeded: [1...5, 6...9], rules: [("2-4,6-8", nil)], message: matched),
        Case(name: "rules equals succeededIndexes", succeeded: [2...4, 6...9], rules: [("2-4,6-9", nil)], message: matched),
        Case(name: "rules is subset", succeeded: [2...5, 7...15], rules: [("2-4,8-12", nil)], message: matched),
        Case(name: "rules is an empty set", succeeded: [1...3], rules: [("", nil)]),
        Case(name: "succeededIndexes is an empty set", succeeded: [], rules: [("", nil)]),
        Case(name: "no rule index succeeded", succeeded: [1...3, 5...7], rules: [("10-12,14-16", nil)]),
        Case(name: "overlaps at first", succeeded: [2...4, 6...8], rules: [("1-3,5-7", nil)]),
        Case(name: "overlaps at first; count 4", succeeded: [2...4, 6...8], rules: [("1-3,5-7", 4)], message: matched),
        Case(name: "overlaps at last", succeeded: [1...3, 5...7], rules: [("2-4,6-9", nil)]),
        Case(name: "overlaps at last; count 4", succeeded: [1...3, 5...7], rules: [("2-4,6-9", 4)], message: matched),
        Case(name: "completely overlaps", succeeded: [1...3, 7...8], rules: [("0-4,6-9", nil)]),
        Case(name: "completely overlaps; count 5", succeeded: [1...3, 7...8], rules: [("0-4,6-9", 5)], message: matched),
        Case(name: "overlaps multiple at last", succeeded: [1...3, 5...9], rules: [("0-6,8-9", nil)]),
        Case(name: "overlaps multiple at last; count 7", succeeded: [1...3, 5...9], rules: [("0-6,8-9", 7)], message: matched),
        Case(name: "overlaps at first, equals at last", succeeded: [1...5, 7...10], rules: [("0-5,7-9", nil)]),
        Case(
            name: "overlaps at first, equals at last; count 8", succeeded: [1...5, 7...10], rules: [("0-5,7-9", 8)],
            message: matched),
        Case(name: "first rule overlaps at first", succeeded: [1...10], rules: [("0-3,6-9", nil)]),
        Case(name: "first rule overlaps at first; count 7", succeeded: [1...10], rules: [("0-3,6-9", 7)], message: matched),
    ]

    @Test(arguments: cases)
    func matchSuccessPolicy(_ c: Case) {
        let policy = c.rules.map {
            SuccessPolicy(rules: $0.map { SuccessPolicy.Rule(succeededIndexes: $0.0, succeededCount: $0.1) })
        }
        let succeeded = Set(c.succeeded.flatMap { Array($0) })
        #expect(SuccessPolicy.match(policy, completions: 10, succeeded: succeeded) == c.message)
    }

    @Test func indexesBelowCompletions() {
        #expect(SuccessPolicy.indexes("0,2-4", completions: 10) == [0, 2, 3, 4])
        #expect(SuccessPolicy.indexes("8-12", completions: 10) == [8, 9])
        #expect(SuccessPolicy.indexes("12", completions: 10) == [])
        #expect(SuccessPolicy.indexes("3-1", completions: 10) == nil)
        #expect(SuccessPolicy.indexes("a", completions: 10) == nil)
        #expect(SuccessPolicy.indexes("1,,2", completions: 10) == nil)
    }
}

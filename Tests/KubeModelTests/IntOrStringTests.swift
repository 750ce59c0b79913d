import Foundation
import Testing

@testable import KubeModel

/// `intstr.IntOrString` and `intstr.GetScaledValueFromIntOrPercent`
/// (k8s.io/apimachinery/pkg/util/intstr/intstr.go): a percentage is
/// `ceil(p·total/100)` when rounding up, `floor(p·total/100)` otherwise.
/// The deployment controller rounds maxSurge up and maxUnavailable down
/// (`deploymentutil.ResolveFenceposts`).
@Suite struct IntOrStringTests {
    @Test(arguments: [
        // (value, total, roundUp, expected)
        (IntOrString.string("25%"), 10, true, 3),  // 2.5 → surge ceil 3
        (.string("25%"), 10, false, 2),  // 2.5 → unavailable floor 2
        (.string("25%"), 4, true, 1),  // exactly 1
        (.string("25%"), 4, false, 1),
        (.string("25%"), 1, true, 1),  // 0.25 → 1: one replica still surges
        (.string("25%"), 1, false, 0),  // 0.25 → 0
        (.string("0%"), 10, true, 0),
        (.string("0%"), 10, false, 0),
        (.string("100%"), 7, true, 7),
        (.string("100%"), 7, false, 7),
        (.string("33%"), 3, true, 1),  // 0.99 → 1
        (.string("33%"), 3, false, 0),  // 0.99 → 0
        (.string("50%"), 0, true, 0),  // no replicas
        (.string("150%"), 10, false, 15),  // above 100% is arithmetic, not clamped
        (.string("-25%"), 10, true, -2),  // math.Ceil(-2.5) = -2
        (.string("-25%"), 10, false, -3),  // math.Floor(-2.5) = -3
        (.int(5), 100, true, 5),  // an integer is taken as is
        (.int(5), 100, false, 5),
        (.int(0), 10, true, 0),
        (.int(12), 10, false, 12),  // not clamped to the total
    ])
    func scaledValue(_ v: IntOrString, total: Int, roundUp: Bool, expected: Int) {
        #expect(v.scaledValue(total: total, roundUp: roundUp) == expected)
    }

    struct Box: Decodable { var v: IntOrString }
    static func decode(_ json: String) throws -> IntOrString {
        try JSONDecoder().decode(Box.self, from: Data(#"{"v": \#(json)}"#.utf8)).v
    }

    @Test(arguments: [
        ("5", IntOrString.int(5)),
        ("0", .int(0)),
        (#""25%""#, .string("25%")),
        (#""0%""#, .string("0%")),
        (#""100%""#, .string("100%")),
        // A quoted integer is read as that integer. (Note: the API server's
        // ValidatePositiveIntOrPercent would reject "5" for maxSurge; this model is lenient.)
        (#""5""#, .int(5)),
    ])
    func decodes(json: String, expected: IntOrString) throws {
        #expect(try Self.decode(json) == expected)
    }

    @Test(arguments: [#""abc""#, #""5.5%""#, #""%""#, #""25 %""#, #""25%%""#, "2.5", "true", #""""#])
    func rejects(json: String) {
        #expect(throws: DecodingError.self) { try Self.decode(json) }
    }

    @Test func description() {
        #expect(IntOrString.int(3).description == "3")
        #expect(IntOrString.string("25%").description == "25%")
    }
}

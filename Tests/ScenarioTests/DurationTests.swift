import SimKernel
import Testing

@testable import Scenario

@Suite struct DurationParseTests {
    @Test(arguments: [
        ("90s", SimTime.seconds(90)),
        ("5m", .seconds(300)),
        ("1h30m", .seconds(5400)),
        ("500ms", .milliseconds(500)),
        ("1.5s", .milliseconds(1500)),
        ("0", .zero),
        ("0s", .zero),
        ("2h45m30.5s", SimTime(microseconds: 9_930_500_000)),
        ("1m30s", .seconds(90)),
        ("250us", SimTime(microseconds: 250)),
        ("250µs", SimTime(microseconds: 250)),
        ("0.25h", .seconds(900)),
    ])
    func valid(_ text: String, _ expected: SimTime) {
        #expect(DurationValue.parse(text) == expected, "\(text)")
    }

    @Test(arguments: ["5", "abc", "1x", "", "s", "1h30", "-5s", "1.2.3s", "5 m", " 5s", "5s ", "1d", "5M", "1h-30m"])
    func invalid(_ text: String) {
        #expect(DurationValue.parse(text) == nil, "\"\(text)\" should not parse")
    }

    @Test func initialiser() {
        #expect(DurationValue(.seconds(3)).time == .seconds(3))
    }
}

/// Distributions as written in `spec.timing`, read through the loader:
///
///     15   timing:
///     16     - selector: {matchLabels: {app: web}}
///     17       imagePull: <value>
@Suite struct DistributionValueTests {
    func timing(_ value: String, field: String = "imagePull") -> String {
        scenario(append: [
            "  timing:",  // 15
            "    - selector: {matchLabels: {app: web}}",  // 16
            "      \(field): \(value)",  // 17
        ])
    }

    func distribution(_ value: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Distribution? {
        let s = try ScenarioLoader.load(text: timing(value), path: "/scenarios/bad.yaml")
        return try #require(s.spec.timing.first, sourceLocation: sourceLocation).imagePull
    }

    @Test(arguments: [
        ("3s", Distribution.constant(3)),
        ("1m30s", .constant(90)),
        ("500ms", .constant(0.5)),
        ("{constant: 750ms}", .constant(0.75)),
        ("{lognormal: {median: 1s, p95: 4s}}", .lognormal(median: 1, p95: 4)),
        ("{lognormal: {median: 2s, p95: 2s}}", .lognormal(median: 2, p95: 2)),
        ("{uniform: {min: 1s, max: 2500ms}}", .uniform(min: 1, max: 2.5)),
        ("{uniform: {min: 0, max: 0}}", .uniform(min: 0, max: 0)),
        ("{exponential: {mean: 2s}}", .exponential(mean: 2)),
        ("{empirical: [1s, 2s, 500ms]}", .empirical([1, 2, 0.5])),
    ])
    func mapping(_ text: String, _ expected: Distribution) throws {
        #expect(try distribution(text) == expected, "\(text)")
    }

    @Test func everyTimingFieldAndSeveralRules() throws {
        let s = try ScenarioLoader.load(
            text: scenario(append: [
                "  timing:",
                "    - selector: {matchLabels: {app: web}}",
                "      imagePull: 3s",
                "      containerStart: {lognormal: {median: 1s, p95: 4s}}",
                "      appReady: {uniform: {min: 1s, max: 2s}}",
                "      shutdown: {exponential: {mean: 2s}}",
                "    - imagePull:",
                "        empirical:",
                "          - 1s",
                "          - 3s",
            ]), path: "/s.yaml")
        #expect(s.spec.timing.count == 2)
        let web = s.spec.timing[0], any = s.spec.timing[1]
        #expect(web.selector.matchLabels == ["app": "web"])
        #expect(web.imagePull == .constant(3))
        #expect(web.containerStart == .lognormal(median: 1, p95: 4))
        #expect(web.appReady == .uniform(min: 1, max: 2))
        #expect(web.shutdown == .exponential(mean: 2))
        #expect(any.selector.isEmpty)
        #expect(any.imagePull == .empirical([1, 3]))
        #expect(any.containerStart == nil && any.appReady == nil && any.shutdown == nil)
    }

    // "      imagePull: " is 17 characters: the value starts at column 18, and in
    // "{lognormal: {" the inner mapping at column 30.

    @Test func lognormalWithP95BelowMedianIsAnError() {
        expectError(
            loadError(timing("{lognormal: {median: 5s, p95: 2s}}")), line: 17, column: 30,
            field: "spec.timing[0].imagePull.lognormal", contains: ["median ≤ p95"])
    }

    @Test func lognormalWithZeroMedianIsAnError() {
        expectError(
            loadError(timing("{lognormal: {median: 0, p95: 2s}}")), line: 17, column: 30,
            field: "spec.timing[0].imagePull.lognormal", contains: ["0 < median"])
    }

    @Test func twoKeysAtOnceIsAnError() {
        expectError(
            loadError(timing("{lognormal: {median: 1s, p95: 2s}, uniform: {min: 1s, max: 2s}}")), line: 17, column: 18,
            field: "spec.timing[0].imagePull", contains: ["exactly one of lognormal, uniform, exponential, empirical"])
    }

    @Test func noKeyIsAnError() {
        expectError(
            loadError(timing("{}")), line: 17, column: 18, field: "spec.timing[0].imagePull",
            contains: ["exactly one of"])
    }

    @Test func uniformWithMinAboveMax() {
        // "{uniform: {": inner mapping at column 28.
        expectError(
            loadError(timing("{uniform: {min: 3s, max: 2s}}")), line: 17, column: 28,
            field: "spec.timing[0].imagePull.uniform", contains: ["min ≤ max"])
    }

    @Test func emptyEmpirical() {
        expectError(
            loadError(timing("{empirical: []}")), line: 17, column: 30,
            field: "spec.timing[0].imagePull.empirical", contains: ["at least one sample"])
    }

    @Test func unknownFieldInsideLognormal() {
        expectError(
            loadError(timing("{lognormal: {median: 1s, p99: 2s}}")), line: 17, column: 43,
            field: "spec.timing[0].imagePull.lognormal.p99", contains: [#"unknown field "p99""#, #"did you mean "p95"?"#])
    }

    @Test func missingFieldInsideLognormal() {
        expectError(
            loadError(timing("{lognormal: {median: 1s}}")), line: 17, column: 30,
            field: "spec.timing[0].imagePull.lognormal", contains: [#"missing required field "p95""#])
    }

    @Test func badDurationInsideADistribution() {
        // "{exponential: {mean: ": the value at column 39.
        expectError(
            loadError(timing("{exponential: {mean: 2 s}}")), line: 17, column: 39,
            field: "spec.timing[0].imagePull.exponential.mean", contains: [#""2 s" is not a duration"#])
    }

    @Test func badPlainDuration() {
        // A plain value that is not a duration is reported as a bad duration, not as "expected a mapping".
        expectError(
            loadError(timing("5 minutes")), line: 17, column: 18, field: "spec.timing[0].imagePull",
            contains: [#""5 minutes" is not a duration"#])
    }

    @Test func unknownTimingField() {
        expectError(
            loadError(timing("3s", field: "imagePul")), line: 17, column: 7, field: "spec.timing[0].imagePul",
            contains: [#"did you mean "imagePull"?"#])
    }
}

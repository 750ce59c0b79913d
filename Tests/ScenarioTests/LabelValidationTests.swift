import Foundation
import Testing

@testable import Scenario

/// Labels and selectors, with upstream's TestValidateLabels cases (k8s.io/apimachinery
/// pkg/apis/meta/v1/validation/validation_test.go) restated as data, and k3sim's rule that no
/// input value holds a control character.
@Suite struct LabelValidationTests {
    @Test(arguments: [
        ["simple": "bar"], ["now-with-dashes": "bar"], ["1-starts-with-num": "bar"], ["1234": "bar"], ["simple/simple": "bar"],
        ["now-with-dashes/simple": "bar"], ["now-with-dashes/now-with-dashes": "bar"], ["now.with.dots/simple": "bar"],
        ["now-with.dashes-and.dots/simple": "bar"], ["1-num.2-num/3-num": "bar"], ["1234/5678": "bar"], ["1.2.3.4/5678": "bar"],
        ["UpperCaseAreOK123": "bar"], ["goodvalue": "123_-.BaR"],
    ])
    func upstreamSuccessCases(labels: [String: String]) {
        #expect(CoreValidation.labels(labels, [.key("field")]).isEmpty)
    }

    @Test(
        arguments: [
            (["nospecialchars^=@": "bar"], "name part must consist of"),
            (["cantendwithadash-": "bar"], "name part must consist of"),
            (["only/one/slash": "bar"], "a qualified name must consist of"),
            ([String(repeating: "a", count: 254): "bar"], "must be no more than"),
            (["toolongvalue": String(repeating: "a", count: 64)], "must be no more than"),
            (["backslashesinvalue": "some\\bad\\value"], "a valid label must be an empty string or consist of"),
            (["nocommasallowed": "bad,value"], "a valid label must be an empty string or consist of"),
            (["strangecharsinvalue": "?#$notsogood"], "a valid label must be an empty string or consist of"),
        ] as [([String: String], String)])
    func upstreamErrorCases(labels: [String: String], expect: String) {
        let issues = CoreValidation.labels(labels, [.key("field")])
        #expect(issues.count == 1)
        #expect(issues.first?.message.contains(expect) == true, "\(issues)")
    }

    @Test func selectorsInManifests() {
        let text = """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: p}
            spec:
              minAvailable: 1
              selector: {matchExpressions: [{key: app, operator: In}]}
            """
        do { _ = try ManifestLoader.load(text: text, path: "/m/p.yaml"); Issue.record("loaded") } catch let e as ScenarioError {
            #expect(e.field == "spec.selector.matchExpressions[0].values")
            #expect(e.message == "Required value: must be specified when `operator` is 'In' or 'NotIn'")
        } catch { Issue.record("\(error)") }
    }

    /// An escape written in a double-quoted YAML string would reach the terminal when k3sim
    /// prints the value (a scenario name, an image): refused where it is written.
    @Test(arguments: [
        ("metadata: {name: \"x\\e[2J\"}", "metadata.name", "U+001B"),
        ("metadata: {name: t, description: \"a\\u0007b\"}", "metadata.description", "U+0007"),
        ("metadata: {name: t, \"k\\x9b\": 1}", "metadata.k\u{9b}", "U+009B"),
    ])
    func controlCharactersAreRefused(line: String, field: String, code: String) {
        var lines = baseScenarioLines
        lines.replaceSubrange(2...3, with: [line])
        let e = loadError(lines.joined(separator: "\n") + "\n")
        #expect(e?.field == field, "\(String(describing: e))")
        #expect(e?.message.contains(code) == true)
        #expect(e?.description.contains("\u{1b}") == false)
    }

    @Test func multiLineDescriptionsStayAllowed() throws {
        var lines = baseScenarioLines
        lines.replaceSubrange(2...3, with: ["metadata:", "  name: t", "  description: |", "    two", "    lines\twith a tab"])
        _ = try ScenarioLoader.load(text: lines.joined(separator: "\n") + "\n", path: "/s.yaml")
    }
}

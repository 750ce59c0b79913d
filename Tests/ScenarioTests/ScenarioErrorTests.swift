import Foundation
import Testing

@testable import Scenario

/// A small valid scenario, one entry per line (line numbers are the index + 1), so the
/// expected positions below can be counted by hand:
///
///      1 apiVersion: k3sim/v1alpha1
///      2 kind: Scenario
///      3 metadata:
///      4   name: t
///      5 spec:
///      6   duration: 1h
///      7   platform:
///      8     distribution: k3s
///      9     provider: hetzner
///     10     kubernetesVersion: "1.33"
///     11   nodePools:
///     12     - name: agents
///     13       serverType: cax21
///     14       count: 2
let baseScenarioLines = [
    "apiVersion: k3sim/v1alpha1",
    "kind: Scenario",
    "metadata:",
    "  name: t",
    "spec:",
    "  duration: 1h",
    "  platform:",
    "    distribution: k3s",
    "    provider: hetzner",
    "    kubernetesVersion: \"1.33\"",
    "  nodePools:",
    "    - name: agents",
    "      serverType: cax21",
    "      count: 2",
]

/// The base scenario with some lines (1-based) replaced, cut after `keep` lines, and more appended.
func scenario(replacing: [Int: String] = [:], keep: Int = baseScenarioLines.count, append: [String] = []) -> String {
    var lines = Array(baseScenarioLines.prefix(keep))
    for (n, text) in replacing { lines[n - 1] = text }
    return (lines + append).joined(separator: "\n") + "\n"
}

/// The error loading `text` throws; records an issue when there is none or it is not a ScenarioError.
func loadError(
    _ text: String, path: String = "/scenarios/bad.yaml",
    sourceLocation: SourceLocation = #_sourceLocation
) -> ScenarioError? {
    do {
        let s = try ScenarioLoader.load(text: text, path: path)
        Issue.record("expected a ScenarioError, loaded \(s.name)", sourceLocation: sourceLocation)
    } catch let e as ScenarioError {
        return e
    } catch {
        Issue.record("expected a ScenarioError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Checks position, field path and (part of) the message.
func expectError(
    _ e: ScenarioError?, file: String = "/scenarios/bad.yaml", line: Int?, column: Int?, field: String,
    contains fragments: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let e else { return }
    #expect(e.file == file, sourceLocation: sourceLocation)
    #expect(e.line == line, "\(e)", sourceLocation: sourceLocation)
    #expect(e.column == column, "\(e)", sourceLocation: sourceLocation)
    #expect(e.field == field, "\(e)", sourceLocation: sourceLocation)
    for f in fragments {
        #expect(e.message.contains(f), "message \"\(e.message)\" lacks \"\(f)\"", sourceLocation: sourceLocation)
    }
}

@Suite struct ScenarioErrorDescriptionTests {
    @Test func descriptionIsFileLineColumnFieldMessage() {
        let e = ScenarioError(file: "s.yaml", line: 14, column: 7, field: "spec.nodePools[0].cuont", message: "unknown field")
        #expect(e.description == "s.yaml:14:7: spec.nodePools[0].cuont: unknown field")
        #expect("\(e)" == e.description)
    }

    @Test func descriptionWithoutFieldOrPosition() {
        #expect(
            ScenarioError(file: "s.yaml", line: 3, column: 1, message: "invalid YAML").description
                == "s.yaml:3:1: invalid YAML")
        #expect(ScenarioError(file: "s.yaml", field: "spec", message: "m").description == "s.yaml: spec: m")
        #expect(ScenarioError(file: "s.yaml", message: "cannot read").description == "s.yaml: cannot read")
    }

    @Test func baseScenarioIsValid() throws {
        let s = try ScenarioLoader.load(text: scenario(), path: "/scenarios/bad.yaml")
        #expect(s.spec.nodes.map(\.name) == ["agents-0", "agents-1"])
    }

    @Test func loadedErrorRendersItsPosition() throws {
        let e = try #require(loadError(scenario(replacing: [14: "      cuont: 2"])))
        #expect(
            e.description
                == #"/scenarios/bad.yaml:14:7: spec.nodePools[0].cuont: unknown field "cuont" in nodePool (did you mean "count"?)"#
        )
    }

    @Test func missingScenarioFile() {
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(path: "/nonexistent/scenario.yaml") }
        do { _ = try ScenarioLoader.load(path: "/nonexistent/scenario.yaml") } catch let e as ScenarioError {
            #expect(e.file == "/nonexistent/scenario.yaml")
            #expect(e.message.contains("does it exist"))
        } catch { Issue.record("\(error)") }
    }

    @Test func emptyScenario() {
        expectError(loadError("# nothing here\n"), line: nil, column: nil, field: "", contains: ["empty"])
    }
}

@Suite struct StrictFieldTests {
    @Test func unknownTopLevelField() {
        expectError(
            loadError(scenario(append: ["status: {}"])), line: 15, column: 1, field: "status",
            contains: [#"unknown field "status" in Scenario"#])
    }

    @Test func misspeltTopLevelFieldGetsASuggestion() {
        expectError(
            loadError(scenario(replacing: [3: "metdata:"])), line: 3, column: 1, field: "metdata",
            contains: [#"unknown field "metdata""#, #"did you mean "metadata"?"#])
    }

    @Test func misspeltFieldDeepInside() {
        expectError(
            loadError(scenario(replacing: [14: "      cuont: 2"])), line: 14, column: 7,
            field: "spec.nodePools[0].cuont", contains: [#"unknown field "cuont""#, #"did you mean "count"?"#])
    }

    @Test func misspeltPlatformField() {
        expectError(
            loadError(scenario(replacing: [10: "    kubernetesVersoin: \"1.33\""])), line: 10, column: 5,
            field: "spec.platform.kubernetesVersoin", contains: [#"did you mean "kubernetesVersion"?"#])
    }

    @Test func wrongType() {
        expectError(
            loadError(scenario(replacing: [14: "      count: \"three\""])), line: 14, column: 14,
            field: "spec.nodePools[0].count", contains: ["expected an integer"])
    }

    @Test func listWhereAMappingIsExpected() {
        // "  nodePools: {name: a}": the mapping at column 14.
        expectError(
            loadError(scenario(keep: 10, append: ["  nodePools: {name: a}"])), line: 11, column: 14,
            field: "spec.nodePools", contains: ["expected a list"])
    }

    @Test func listWhereAValueIsExpected() {
        expectError(
            loadError(scenario(replacing: [14: "      count: [2]"])), line: 14, column: 14,
            field: "spec.nodePools[0].count", contains: ["expected a single value"])
    }

    @Test func scalarDocument() {
        expectError(loadError("hello\n"), line: 1, column: 1, field: "", contains: ["expected a mapping"])
    }

    @Test func missingRequiredField() {
        // platform without kubernetesVersion: reported at the platform mapping.
        expectError(
            loadError(scenario(replacing: [10: "    region: eu-central"])), line: 8, column: 5,
            field: "spec.platform", contains: [#"missing required field "kubernetesVersion""#])
    }

    @Test func badDuration() {
        expectError(
            loadError(scenario(replacing: [6: "  duration: 5 minutes"])), line: 6, column: 13,
            field: "spec.duration", contains: [#""5 minutes" is not a duration"#])
    }

    @Test func badQuantityInExplicitNodeCapacity() {
        let text = scenario(
            keep: 10,
            append: [
                "  nodes:",  // 11
                "    - name: n1",  // 12
                "      capacity:",  // 13
                "        cpu: 4 cores",  // 14
                "        memory: 8Gi",  // 15
            ])
        expectError(
            loadError(text), line: 14, column: 14, field: "spec.nodes[0].capacity.cpu",
            contains: [#""4 cores" is not a Kubernetes quantity"#])
    }

    @Test func explicitNodeWithoutMemory() {
        let text = scenario(
            keep: 10,
            append: [
                "  nodes:",  // 11
                "    - name: n1",  // 12
                "      capacity: {cpu: \"2\"}",  // 13
            ])
        expectError(loadError(text), line: 13, column: 17, field: "spec.nodes[0].capacity", contains: ["needs cpu and memory"])
    }

    @Test func unknownFieldInDistribution() {
        let text = scenario(append: [
            "  timing:",  // 15
            "    - imagePull: {lognormall: {median: 1s, p95: 2s}}",  // 16
        ])
        expectError(
            loadError(text), line: 16, column: 19, field: "spec.timing[0].imagePull.lognormall",
            contains: [#"did you mean "lognormal"?"#])
    }
}

@Suite struct SemanticErrorTests {
    @Test func unknownServerType() {
        expectError(
            loadError(scenario(replacing: [13: "      serverType: cax99"])), line: 13, column: 19,
            field: "spec.nodePools[0].serverType", contains: [#"unknown Hetzner server type "cax99""#, "cax31"])
    }

    @Test func unknownControlPlaneServerType() {
        let text = scenario(
            keep: 10,
            append: [
                "  controlPlane: {count: 3, serverType: cax99}"  // 11
            ])
        expectError(
            loadError(text), line: 11, column: 40, field: "spec.controlPlane.serverType",
            contains: [#"unknown Hetzner server type "cax99""#])
    }

    @Test func serverTypeNotOfferedInLocation() {
        expectError(
            loadError(scenario(append: ["      locations: [fsn1, ash]"])), line: 15, column: 25,
            field: "spec.nodePools[0].locations[1]", contains: ["cax21 is not offered in ash (only fsn1, nbg1, hel1)"])
    }

    @Test func unknownLocation() {
        expectError(
            loadError(scenario(append: ["      locations: [mars1]"])), line: 15, column: 19,
            field: "spec.nodePools[0].locations[0]", contains: [#"unknown Hetzner location "mars1""#])
    }

    @Test func unknownLocationInBlockList() {
        let text = scenario(append: [
            "      locations:",  // 15
            "        - fsn1",  // 16
            "        - fsn2",  // 17
        ])
        expectError(
            loadError(text), line: 17, column: 11, field: "spec.nodePools[0].locations[1]",
            contains: [#"unknown Hetzner location "fsn2""#])
    }

    @Test func manifestFileThatDoesNotExist() {
        let text = scenario(append: [
            "  workloads:",  // 15
            "    - file: manifests/nope.yaml",  // 16
        ])
        expectError(
            loadError(text, path: "/nonexistent-dir/s.yaml"), file: "/nonexistent-dir/s.yaml", line: 16, column: 13,
            field: "spec.workloads[0].file", contains: ["/nonexistent-dir/manifests/nope.yaml does not exist"])
    }

    @Test func workloadWithBothFileAndObject() {
        let text = scenario(append: [
            "  workloads:",  // 15
            "    - {file: a.yaml, object: {apiVersion: v1, kind: Service, metadata: {name: s}}}",  // 16
        ])
        expectError(loadError(text), line: 16, column: 7, field: "spec.workloads[0]", contains: ["exactly one of file"])
    }

    @Test(arguments: ["1.20", "1.99", "2.33", "latest", "1"])
    func unsupportedKubernetesVersion(_ version: String) {
        expectError(
            loadError(scenario(replacing: [10: "    kubernetesVersion: \"\(version)\""])), line: 10, column: 24,
            field: "spec.platform.kubernetesVersion", contains: ["\"\(version)\" is not a supported version"])
    }

    @Test func unsupportedDistribution() {
        expectError(
            loadError(scenario(replacing: [8: "    distribution: openshift"])), line: 8, column: 19,
            field: "spec.platform.distribution", contains: [#""openshift" is not a distribution"#])
        // A managed distribution runs on its own provider.
        expectError(
            loadError(scenario(replacing: [8: "    distribution: eks"])), line: 9, column: 15,
            field: "spec.platform.provider", contains: ["eks runs on aws, not hetzner"])
    }

    @Test func wrongApiVersion() {
        expectError(
            loadError(scenario(replacing: [1: "apiVersion: k3sim/v1"])), line: 1, column: 13,
            field: "apiVersion", contains: ["must be k3sim/v1alpha1"])
    }

    /// `faults:` at line 15, the fault's fields at 16–18.
    func withFault(action: String, target: String, extra: [String] = []) -> String {
        scenario(
            append: [
                "  faults:",  // 15
                "    - at: 10m",  // 16
                "      action: \(action)",  // 17
                "      target: \(target)",  // 18
            ] + extra)
    }

    @Test func validFaultLoads() throws {
        let s = try ScenarioLoader.load(text: withFault(action: "crash", target: "node/agents-1"), path: "/s.yaml")
        #expect(s.spec.faults.count == 1)
    }

    @Test func unknownFaultAction() {
        expectError(
            loadError(withFault(action: "explode", target: "node/agents-0")), line: 17, column: 15,
            field: "spec.faults[0].action", contains: [#"unknown action "explode""#, "crash", "delete-pod"])
    }

    @Test func faultTargetNamingAMissingNode() {
        expectError(
            loadError(withFault(action: "crash", target: "node/agents-7")), line: 18, column: 15,
            field: "spec.faults[0].target", contains: ["no node named agents-7", "agents-0, agents-1"])
    }

    @Test func faultTargetNamingAMissingDeployment() {
        expectError(
            loadError(withFault(action: "rollout", target: "deployment/shop/nope")), line: 18, column: 15,
            field: "spec.faults[0].target", contains: ["no Deployment shop/nope"])
        // Without a namespace the default namespace is meant.
        expectError(
            loadError(withFault(action: "rollout", target: "deployment/nope")), line: 18, column: 15,
            field: "spec.faults[0].target", contains: ["no Deployment default/nope"])
    }

    @Test func systemDeploymentIsAValidTarget() throws {
        let s = try ScenarioLoader.load(
            text: withFault(action: "rollout", target: "deployment/kube-system/coredns"),
            path: "/s.yaml")
        #expect(s.spec.faults.first?.target == .deployment(namespace: "kube-system", name: "coredns"))
    }

    @Test func faultTargetNotATarget() {
        expectError(
            loadError(withFault(action: "crash", target: "agents-0")), line: 18, column: 15,
            field: "spec.faults[0].target", contains: ["not a target"])
        expectError(
            loadError(withFault(action: "rollout", target: "node/agents-0")), line: 18, column: 15,
            field: "spec.faults[0].target", contains: ["rollout does not take a node"])
    }

    @Test func faultAfterTheEnd() {
        let text = withFault(action: "crash", target: "node/agents-0").replacingOccurrences(of: "at: 10m", with: "at: 2h")
        expectError(loadError(text), line: 16, column: 11, field: "spec.faults[0].at", contains: ["after the end of the run"])
    }

    @Test func scaleNeedsReplicas() {
        let text = scenario(append: [
            "  workloads:",  // 15
            "    - object: {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}}",  // 16
            "  faults:",  // 17
            "    - at: 10m",  // 18
            "      action: scale",  // 19
            "      target: deployment/web",  // 20
            "      options: {image: x}",  // 21
        ])
        expectError(loadError(text), line: 21, column: 16, field: "spec.faults[0].options", contains: ["options.replicas"])
    }

    @Test func duplicateNodeNames() {
        let text = scenario(append: [
            "  nodes:",  // 15
            "    - {name: n1, capacity: {cpu: \"1\", memory: 1Gi}}",  // 16
            "    - {name: n1, capacity: {cpu: \"1\", memory: 1Gi}}",  // 17
        ])
        expectError(loadError(text), line: 17, column: 7, field: "spec.nodes[1]", contains: ["node name n1 is used twice"])
    }

    @Test func explicitNodeCollidingWithAPoolNode() {
        let text = scenario(append: [
            "  nodes:",  // 15
            "    - {name: agents-1, capacity: {cpu: \"1\", memory: 1Gi}}",  // 16
        ])
        expectError(loadError(text), line: 16, column: 7, field: "spec.nodes[0]", contains: ["node name agents-1 is used twice"])
    }

    @Test func poolNodeCollidingWithAControlPlaneNode() {
        let text = scenario(
            keep: 10,
            append: [
                "  controlPlane: {count: 1, serverType: cax21}",  // 11
                "  nodePools:",  // 12
                "    - {name: server, serverType: cax21, count: 1}",  // 13
            ])
        expectError(
            loadError(text), line: 13, column: 14, field: "spec.nodePools[0].name",
            contains: ["node name server-0 is used twice"])
    }

    @Test func twoPoolsWithTheSameName() {
        let text = scenario(
            keep: 10,
            append: [
                "  nodePools:",  // 11
                "    - {name: a, serverType: cax21, count: 2}",  // 12
                "    - {name: a, serverType: cax31, count: 1}",  // 13
            ])
        expectError(
            loadError(text), line: 13, column: 14, field: "spec.nodePools[1].name",
            contains: ["node name a-0 is used twice"])
    }

    @Test func noNodes() {
        expectError(
            loadError(scenario(keep: 10)), line: 6, column: 3, field: "spec.nodePools",
            contains: ["the cluster has no nodes"])
    }

    @Test func sqliteWithSeveralServers() {
        let text = scenario(
            keep: 10,
            append: [
                "  controlPlane: {count: 3, serverType: cax21, datastore: sqlite}"  // 11
            ])
        expectError(
            loadError(text), line: 11, column: 25, field: "spec.controlPlane.count",
            contains: ["sqlite datastore runs on one server only"])
    }
}

@Suite struct WorkloadErrorTests {
    @Test func inlineObjectWithMisspeltField() {
        let text = scenario(append: [
            "  workloads:",  // 15
            "    - object:",  // 16
            "        apiVersion: apps/v1",  // 17
            "        kind: Deployment",  // 18
            "        metadata: {name: web}",  // 19
            "        spec:",  // 20
            "          replicass: 3",  // 21
            "          selector: {matchLabels: {app: web}}",  // 22
            "          template:",  // 23
            "            metadata: {labels: {app: web}}",  // 24
            "            spec: {containers: [{name: web, image: nginx}]}",  // 25
        ])
        expectError(
            loadError(text), line: 21, column: 11, field: "spec.workloads[0].object.spec.replicass",
            contains: [#"unknown field "replicass""#, #"did you mean "replicas"?"#])
    }

    @Test func inlineObjectDefinedTwice() {
        let object = "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: i}]}}"
        let text = scenario(append: [
            "  workloads:",  // 15
            "    - object: \(object)",  // 16
            "    - object: \(object)",  // 17
        ])
        expectError(
            loadError(text), line: 17, column: 7, field: "spec.workloads[1]", contains: ["Pod/default/p is defined twice"])
    }

    /// A scenario and its manifest in a fresh temporary directory.
    func withManifest(_ manifest: String, _ body: (_ scenarioPath: String, _ manifestPath: String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-scenario-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenarioURL = dir.appendingPathComponent("s.yaml"), manifestURL = dir.appendingPathComponent("app.yaml")
        try scenario(append: ["  workloads:", "    - file: app.yaml"]).write(to: scenarioURL, atomically: true, encoding: .utf8)
        try manifest.write(to: manifestURL, atomically: true, encoding: .utf8)
        try body(scenarioURL.path, manifestURL.path)
    }

    static let manifestLines = [
        "apiVersion: v1",  // 1
        "kind: Service",  // 2
        "metadata: {name: svc}",  // 3
        "---",  // 4
        "apiVersion: apps/v1",  // 5
        "kind: Deployment",  // 6
        "metadata: {name: web}",  // 7
        "spec:",  // 8
        "  replicas: 2",  // 9
        "  selector: {matchLabels: {app: web}}",  // 10
        "  template:",  // 11
        "    metadata: {labels: {app: web}}",  // 12
        "    spec:",  // 13
        "      containers:",  // 14
        "        - name: web",  // 15
        "          image: nginx",  // 16
        "          resources: {}",  // 17
    ]

    func manifest(replacing: [Int: String] = [:]) -> String {
        var lines = Self.manifestLines
        for (n, text) in replacing { lines[n - 1] = text }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func manifestFileLoads() throws {
        try withManifest(manifest()) { scenarioPath, _ in
            let s = try ScenarioLoader.load(path: scenarioPath)
            #expect(s.spec.workloads.deployments.contains { $0.metadata.key == "default/web" && $0.replicas == 2 })
        }
    }

    @Test func misspeltFieldInManifestFileIsReportedInTheManifest() throws {
        try withManifest(manifest(replacing: [17: "          resourcse: {}"])) { scenarioPath, manifestPath in
            var error: ScenarioError?
            do { _ = try ScenarioLoader.load(path: scenarioPath) } catch let e as ScenarioError { error = e }
            expectError(
                error, file: manifestPath, line: 17, column: 11, field: "spec.template.spec.containers[0].resourcse",
                contains: [#"unknown field "resourcse""#, #"did you mean "resources"?"#])
            #expect(error?.description.hasPrefix("\(manifestPath):17:11: spec.template.spec.containers[0].resourcse: ") == true)
        }
    }

    @Test func wrongTypeInManifestFile() throws {
        try withManifest(manifest(replacing: [9: "  replicas: two"])) { scenarioPath, manifestPath in
            var error: ScenarioError?
            do { _ = try ScenarioLoader.load(path: scenarioPath) } catch let e as ScenarioError { error = e }
            expectError(error, file: manifestPath, line: 9, column: 13, field: "spec.replicas", contains: ["expected an integer"])
        }
    }

    @Test func invalidYAMLInManifestFile() throws {
        try withManifest(manifest(replacing: [16: "          image: nginx: 1"])) { scenarioPath, manifestPath in
            var error: ScenarioError?
            do { _ = try ScenarioLoader.load(path: scenarioPath) } catch let e as ScenarioError { error = e }
            expectError(error, file: manifestPath, line: 16, column: 23, field: "", contains: ["invalid YAML"])
        }
    }
}

@Suite struct YAMLSyntaxErrorTests {
    @Test func mappingValueInsidePlainScalar() {
        // "  duration: 1h" continued by a more indented "seed: 1": `:` not allowed there.
        let text = scenario(keep: 6, append: ["    seed: 1"])
        expectError(loadError(text), line: 7, column: 9, field: "", contains: ["invalid YAML", "mapping values are not allowed"])
    }

    @Test func badIndentation() {
        // A key indented by one space under `spec:` (whose keys are at two).
        let text = scenario(keep: 6, append: [" seed: 1"])
        expectError(loadError(text), line: 7, column: 2, field: "", contains: ["invalid YAML"])
    }

    @Test func unclosedFlowMapping() {
        let text = scenario(replacing: [3: "metadata: {name: t"], keep: 3)
        let e = loadError(text)
        #expect(e?.line != nil && e?.column != nil)
        #expect(e?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func duplicateKey() {
        // The second `duration` (line 15) repeats the one at line 6 in spec.
        let e = loadError(scenario(append: ["  duration: 2h"]))
        expectError(e, line: 15, column: 3, field: "spec.duration", contains: ["duplicate", "duration", "line 6"])
    }

    @Test func duplicateKeyInAListItem() {
        let e = loadError(scenario(append: ["      count: 3"]))
        expectError(
            e, line: 15, column: 7, field: "spec.nodePools[0].count",
            contains: [#"duplicate key "count" (first at line 14, column 7)"#])
        #expect(
            e?.description
                == #"/scenarios/bad.yaml:15:7: spec.nodePools[0].count: duplicate key "count" (first at line 14, column 7)"#)
    }

    @Test func duplicateQuotedKey() {
        // "metadata: {\"name\": a, name: b}": the plain `name` at column 23.
        let lines =
            Array(baseScenarioLines.prefix(2)) + [#"metadata: {"name": a, name: b}"#]
            + Array(baseScenarioLines.dropFirst(4))
        expectError(
            loadError(lines.joined(separator: "\n")), line: 3, column: 23, field: "metadata.name",
            contains: [#"duplicate key "name" (first at line 3, column 12)"#])
    }

    @Test func keyThreeTimesIsStillPositioned() {
        let e = loadError(scenario(append: ["  duration: 2h", "  duration: 3h"]))
        #expect(e?.line != nil && e?.column != nil)
        #expect(e?.message.contains("duration") == true)
    }

    @Test func duplicateKeyInFlowMapping() {
        // "metadata: {name: a, description: d, name: b}": the second `name` is at column 37.
        let lines =
            Array(baseScenarioLines.prefix(2)) + ["metadata: {name: a, description: d, name: b}"]
            + Array(baseScenarioLines.dropFirst(4))
        let e = loadError(lines.joined(separator: "\n"))
        expectError(e, line: 3, column: 37, field: "metadata.name", contains: ["duplicate", "name"])
    }
}

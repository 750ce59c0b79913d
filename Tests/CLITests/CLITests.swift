import Foundation
import Testing

/// The command line as a user meets it: exit codes, messages, JSON, the database.
@Suite(.serialized)
struct CLITests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `k3sim` binary next to the test bundle (SwiftPM builds it for this target).
    static var binary: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("k3sim")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return packageRoot.appendingPathComponent(".build/debug/k3sim")
    }

    struct Result { let code: Int32; let stdout: String; let stderr: String }

    func k3sim(_ args: [String], environment: [String: String] = [:]) throws -> Result {
        try Self.run(Self.binary, args, environment: ProcessInfo.processInfo.environment.merging(environment) { _, b in b })
    }

    /// Runs a program to its end and returns its exit code and output (`environment` nil:
    /// this process's own).
    static func run(
        _ executable: URL, _ args: [String], environment: [String: String]? = nil,
        directory: URL? = nil
    ) throws -> Result {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        if let environment { p.environment = environment }
        if let directory { p.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(
            code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self))
    }

    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    var scenario: String { Self.packageRoot.appendingPathComponent("scenarios/node-crash.yaml").path }

    @Test func runStoresAndPrintsTheTimeline() throws {
        let db = try tempDir().appendingPathComponent("r.sqlite").path
        let r = try k3sim(["run", scenario, "--db", db])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("nodeNotReady"))
        #expect(r.stdout.contains("node-monitor-grace-period 50s"))
        #expect(r.stdout.contains("run #1 stored"))
        let list = try k3sim(["runs", "--db", db])
        #expect(list.stdout.contains("node-crash"))
        let show = try k3sim(["show", "1", "--db", db])
        #expect(show.code == 0)
        #expect(show.stdout.contains("podsEvicted"))
    }

    @Test func reportsGoBesideTheDatabaseNotIntoTheCommittedExamples() throws {
        let dir = try tempDir()
        let db = dir.appendingPathComponent("r.sqlite").path
        #expect(try k3sim(["run", scenario, "--db", db]).code == 0)
        let r = try k3sim(["report", "--db", db, "--format", "md"])
        #expect(r.code == 0, "\(r.stderr)")
        let written = r.stdout.split(separator: "\n").map(String.init)
        #expect(!written.isEmpty)
        for path in written {
            #expect(path.hasPrefix(dir.appendingPathComponent("k3sim-reports").path + "/"), "\(path)")
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func sameSeedSameJSON() throws {
        let db = try tempDir().appendingPathComponent("r.sqlite").path
        func strip(_ s: String) -> String {
            s.split(separator: "\n").filter { !$0.contains("\"wallSeconds\"") && !$0.contains("\"runId\"") }.joined(
                separator: "\n")
        }
        let a = try k3sim(["run", scenario, "--db", db, "--json", "--seed", "42"])
        let b = try k3sim(["run", scenario, "--db", db, "--json", "--seed", "42"])
        #expect(a.code == 0 && b.code == 0)
        #expect(strip(a.stdout) == strip(b.stdout))
        let doc = try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any]
        #expect(doc?["seed"] as? Int == 42)
        let faults = doc?["faults"] as? [[String: Any]]
        let milestones = faults?.first?["milestones"] as? [String: Double]
        #expect(milestones?["nodeNotReady"] != nil && milestones?["podsEvicted"] != nil)
    }

    @Test func manyRunsGiveDistributions() throws {
        let db = try tempDir().appendingPathComponent("r.sqlite").path
        let r = try k3sim(["run", scenario, "--db", db, "--json", "--runs", "20"])
        #expect(r.code == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let faults = doc?["faults"] as? [[String: Any]]
        let notReady = (faults?.first?["milestones"] as? [String: Any])?["nodeNotReady"] as? [String: Double]
        #expect(notReady?["runs"] == 20)
        // Times are seconds from the start of the run; the crash is at 300 s.
        #expect((notReady?["p50"] ?? 0) > 340 && (notReady?["p95"] ?? 0) <= 355.1)
        let list = try k3sim(["runs", "--db", db])
        #expect(list.stdout.split(separator: "\n").count == 21)
    }

    @Test func badScenarioExitsWithTwoAndWritesNothing() throws {
        let dir = try tempDir()
        let bad = dir.appendingPathComponent("bad.yaml")
        try """
        apiVersion: k3sim/v1alpha1
        kind: Scenario
        metadata: {name: bad}
        spec:
          duration: 10m
          platform: {distribution: k3s, provider: hetzner, kubernetesVersion: "1.33"}
          nodePools:
            - name: a
              serverType: cax31
              cuont: 3
        """.write(to: bad, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("r.sqlite").path
        let r = try k3sim(["run", bad.path, "--db", db])
        #expect(r.code == 2)
        #expect(r.stderr.hasPrefix("\(bad.path):10:7: spec.nodePools[0].cuont: unknown field \"cuont\""))
        #expect(r.stderr.contains("did you mean \"count\""))
        #expect(!FileManager.default.fileExists(atPath: db), "nothing written to the database")
    }

    @Test func usageErrorsExitWithTwo() throws {
        #expect(try k3sim(["run"]).code == 2)
        #expect(try k3sim(["run", scenario, "--runs", "0"]).code == 2)
        #expect(try k3sim(["frobnicate"]).code == 2)
        #expect(try k3sim(["run", "/nonexistent/scenario.yaml"]).code == 2)
        #expect(try k3sim(["--help"]).code == 0)
    }

    @Test func databaseFromTheEnvironment() throws {
        let db = try tempDir().appendingPathComponent("env.sqlite").path
        let r = try k3sim(["run", scenario], environment: ["K3SIM_DB": db])
        #expect(r.code == 0)
        #expect(FileManager.default.fileExists(atPath: db))
    }

    @Test func explainShowsEveryNodeAndTheChoice() throws {
        let dir = try tempDir()
        let pod = dir.appendingPathComponent("pod.yaml")
        try """
        apiVersion: v1
        kind: Pod
        metadata: {name: probe, namespace: shop, labels: {app: web}}
        spec:
          containers:
            - {name: c, image: ghcr.io/example/shop-web:1.14.2, resources: {requests: {cpu: 500m, memory: 512Mi}}}
        """.write(to: pod, atomically: true, encoding: .utf8)
        let reference = Self.packageRoot.appendingPathComponent("scenarios/hetzner-k3s-ha.yaml").path
        let text = try k3sim(["explain", reference, "--pod", pod.path])
        #expect(text.code == 0, "\(text.stderr)")
        #expect(text.stdout.contains("kube-scheduler would bind it to agents-"))
        #expect(text.stdout.contains("node(s) had untolerated taint {CriticalAddonsOnly: true}"))
        let json = try k3sim(["explain", reference, "--pod", pod.path, "--json"])
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let selected = doc?["selectedNode"] as? String
        #expect(selected?.hasPrefix("agents-") == true)
        let nodes = doc?["nodes"] as? [[String: Any]] ?? []
        #expect(nodes.count == 7)
        let chosen = nodes.first { $0["name"] as? String == selected }
        let scores = chosen?["scores"] as? [String: Int] ?? [:]
        #expect(scores["NodeResourcesFit"] != nil && scores["TaintToleration"] == 100)
        let totals = nodes.compactMap { $0["feasible"] as? Bool == true ? $0["totalScore"] as? Int : nil }
        #expect(chosen?["totalScore"] as? Int == totals.max())
    }

    @Test func badSchedulerConfigIsPositioned() throws {
        let dir = try tempDir()
        let config = dir.appendingPathComponent("sched.yaml")
        try """
        apiVersion: kubescheduler.config.k8s.io/v1
        kind: KubeSchedulerConfiguration
        profiles:
          - pluginConfig:
              - name: NodeResourcesFit
                args:
                  scoringStrategy:
                    type: LeastAllocated
                    resources:
                      - {name: cpu, weight: 101}
        """.write(to: config, atomically: true, encoding: .utf8)
        let pod = Self.packageRoot.appendingPathComponent("scenarios/manifests/shop.yaml").path + "#web"
        let r = try k3sim(["explain", scenario, "--pod", pod, "--scheduler-config", config.path])
        #expect(r.code == 2)
        #expect(r.stderr.contains("\(config.path):10:"), "\(r.stderr)")
        #expect(r.stderr.contains("resource weight of cpu not in valid range [1, 100]"))
    }
}

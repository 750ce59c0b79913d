import Foundation
import Testing

/// `k3sim serve` with the real kubectl binaries (the oldest and the newest on the machine) as
/// clients: reads, watches, the writes drills use, faults injected by an instructor, the 405
/// for anything else, and Ctrl-C storing the run.
@Suite(.enabled(if: Kubectl.available, "kubectl is not on the PATH"))
struct ServeKubectlTests {
    @Test(arguments: Kubectl.versions)
    func readsWritesAndAFaultThroughKubectl(version: String) throws {
        let kubectl = Kubectl.binary(version)
        let served = try ServedScenario(ServedScenario.scenario("node-crash"), ["--speed", "40", "--until", "2h"])
        defer { _ = served.stop() }

        let nodes = try served.kubectl(kubectl, ["get", "nodes"])
        #expect(nodes.code == 0, "\(nodes.stderr)")
        for n in ["w1", "w2", "w3"] { #expect(nodes.stdout.contains(n)) }
        #expect(nodes.stdout.contains("Ready") && nodes.stdout.contains("v1.33.0+k3s1"), "\(nodes.stdout)")

        let pods = try served.kubectl(
            kubectl, ["get", "pods", "-A", "-o", "wide"],
            until: { $0.components(separatedBy: "1/1     Running").count == 4 })
        #expect(pods.stdout.contains("NAMESPACE") && pods.stdout.contains("NODE"), "\(pods.stdout)")
        #expect(pods.stdout.components(separatedBy: "web-").count == 4, "\(pods.stdout)")

        // A watch opened before the crash sees the node go NotReady.
        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: kubectl)
        watch.arguments = [
            "--kubeconfig", served.kubeconfig, "--cache-dir", served.dir.appendingPathComponent("cache").path,
            "get", "nodes", "-w",
        ]
        let watchOut = Pipe()
        watch.standardOutput = watchOut
        try watch.run()

        let cordon = try served.kubectl(kubectl, ["cordon", "w1"])
        #expect(cordon.code == 0 && cordon.stdout.contains("node/w1 cordoned"), "\(cordon.stderr)")
        #expect(try served.kubectl(kubectl, ["get", "node", "w1"]).stdout.contains("Ready,SchedulingDisabled"))

        let scale = try served.kubectl(kubectl, ["scale", "deployment/web", "--replicas=4"])
        #expect(scale.code == 0 && scale.stdout.contains("scaled"), "\(scale.stderr)")
        let deploy = try served.kubectl(kubectl, ["get", "deployment", "web"], until: { $0.contains("/4") })
        #expect(deploy.stdout.contains("/4 "), "\(deploy.stdout)")

        let podName = try #require(
            pods.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ", omittingEmptySubsequences: true)
                .dropFirst().first)
        let delete = try served.kubectl(kubectl, ["delete", "pod", String(podName)])
        #expect(delete.code == 0 && delete.stdout.contains("deleted"), "\(delete.stderr)")
        let restart = try served.kubectl(kubectl, ["rollout", "restart", "deployment/web"])
        #expect(restart.code == 0 && restart.stdout.contains("restarted"), "\(restart.stderr)")
        let labelled = try served.kubectl(
            kubectl, ["get", "pods", "-l", "app in (web)", "--field-selector", "spec.nodeName!=nowhere"])
        #expect(labelled.stdout.contains("web-"), "\(labelled.stdout) \(labelled.stderr)")

        let create = try served.kubectl(kubectl, ["create", "namespace", "x"])
        #expect(create.code != 0)
        #expect(create.stderr.contains("MethodNotAllowed") && create.stderr.contains("does not accept"), "\(create.stderr)")

        let curl = try ServedScenario.run(
            "/usr/bin/curl",
            [
                "-s", "-XPOST", "\(served.url)/k3sim/faults",
                "-d", #"{"action":"crash","target":"node/w3"}"#,
            ])
        #expect(curl.stdout.contains(#""target":"node/w3""#), "\(curl.stdout)")
        // node-monitor-grace-period 50 s of simulated time: under 2 s at 40×. (The scenario's own
        // crash of w2 at 5m may come first.)
        func w3NotReady(_ out: String) -> Bool {
            out.split(separator: "\n").contains { $0.hasPrefix("w3 ") && $0.contains("NotReady") }
        }
        let notReady = try served.kubectl(kubectl, ["get", "nodes"], until: w3NotReady)
        #expect(w3NotReady(notReady.stdout), "\(notReady.stdout)")
        let events = try served.kubectl(kubectl, ["get", "events"], until: { $0.contains("node/w3") })
        #expect(events.stdout.contains("NodeNotReady") && events.stdout.contains("node/w3"), "\(events.stdout)")

        watch.interrupt()
        let watched = String(decoding: watchOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        watch.waitUntilExit()
        #expect(w3NotReady(watched), "\(watched)")

        let (code, output) = served.stop()
        #expect(code == 0)
        #expect(output.contains("cordon node/w1") && output.contains("--replicas=4") && output.contains("fault crash node/w3"))
        #expect(
            output.contains("delete pod/default/\(podName)") && output.contains("rollout restart deployment/default/web"),
            "\(output)")
        #expect(output.contains("run #1 stored"), "\(output)")
    }

    /// `kubectl drain` against a PDB at its limit: 429s retried until replacements are Ready
    /// elsewhere; the node ends cordoned and empty.
    @Test func drainCompletesAgainstABudgetAtItsLimit() throws {
        let kubectl = Kubectl.binary("1.33")
        // drain-pdb without its own drain at 2m: the trainee drains.
        let text = try String(contentsOfFile: ServedScenario.scenario("drain-pdb"), encoding: .utf8)
        let dir = try ServedScenario.tempDir()
        let scenario = dir.appendingPathComponent("drain.yaml")
        try String(text[..<text.range(of: "  faults:")!.lowerBound]).write(to: scenario, atomically: true, encoding: .utf8)
        let served = try ServedScenario(scenario.path, ["--speed", "20"])
        defer { _ = served.stop() }
        _ = try served.kubectl(kubectl, ["get", "deployment", "web"], until: { $0.contains("3/3") })
        let drain = try served.kubectl(kubectl, ["drain", "agents-0", "--ignore-daemonsets", "--timeout=60s"])
        #expect(drain.code == 0, "\(drain.stderr)")
        #expect(drain.stdout.contains("node/agents-0 drained"), "\(drain.stdout)")
        #expect(drain.stderr.contains("disruption budget"), "the budget refused at least once: \(drain.stderr)")
        let node = try served.kubectl(kubectl, ["get", "node", "agents-0"])
        #expect(node.stdout.contains("SchedulingDisabled"))
        let left = try served.kubectl(kubectl, ["get", "pods", "-A", "--field-selector", "spec.nodeName=agents-0"])
        #expect(left.stdout.isEmpty, "\(left.stdout)")
    }

    /// Reads and watches are not requests that change anything: the run stored at the end is
    /// the one `k3sim run` stores.
    @Test func readsLeaveTheRunAsKubectlFoundIt() throws {
        let kubectl = Kubectl.binary("1.33")
        let served = try ServedScenario(ServedScenario.scenario("node-crash"), ["--speed", "300"])
        for _ in 0..<3 {
            let r = try served.kubectl(kubectl, ["get", "nodes,pods,deploy,rs,pdb,leases,events", "-A", "-o", "wide"])
            #expect(r.code == 0, "\(r.stderr)")
        }
        let (code, output) = served.wait()
        #expect(code == 0 && !output.contains("Requests that changed"), "\(output)")
        let k3sim = ServedScenario.binary.path
        #expect(try ServedScenario.run(k3sim, ["run", ServedScenario.scenario("node-crash"), "--db", served.database]).code == 0)
        func record(_ id: String) throws -> String {
            try ServedScenario.run(k3sim, ["show", id, "--json", "--db", served.database]).stdout
                .split(separator: "\n").filter { !$0.contains("\"wallSeconds\"") && !$0.contains("\"runId\"") }.joined(
                    separator: "\n")
        }
        #expect(try record("1") == record("2"))
    }
}

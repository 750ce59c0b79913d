import Foundation
import Live
import Simulation
import Store
import Testing

/// `k3sim live snapshot/drill/validate` end to end against the loopback API server: what it
/// sends (the server's request log), what it stores, what it prints.
@Suite(.serialized, .enabled(if: Tools.fakeServerAvailable, Comment(rawValue: Tools.fakeServerMissing)))
struct DrillCLITests {
    let drainTarget = "node/k3s-agent-fsn1-a"

    func db(_ server: FakeK3s) -> String { server.dir.appendingPathComponent("results.sqlite").path }

    func node(_ server: FakeK3s, _ name: String) throws -> JSONValue? {
        let kc = try server.kubeconfig()
        let c = KubeClient(
            connection: try KubeconfigLoader.load(KubeconfigOptions(explicitPath: kc.path, environment: [:])),
            http: HTTPClient(proxyEnvironment: ProxyEnvironment()))
        return try c.get(.nodes, name: name)
    }

    @Test func snapshotIsAScenarioThatRunAccepts() throws {
        let server = try FakeK3s()
        let kc = try server.kubeconfig()
        let out = server.dir.appendingPathComponent("snapshot.yaml").path
        let r = try Tools.k3sim(["live", "snapshot", "--kubeconfig", kc.path, "-o", out])
        #expect(r.code == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("serverType: cax31") && text.contains("serverType: cax21"))
        #expect(text.contains("datastore: embedded-etcd") && text.contains("schedulable: false"))
        #expect(text.contains("k3s-agent-fsn1-a → agents-0"))
        #expect(text.contains("kind: PodDisruptionBudget") && text.contains("kind: DaemonSet") && text.contains("name: web"))
        #expect(text.contains("disable: [traefik, servicelb]"))
        // The StatefulSet brings its claim template; its claim is left to the simulated controller.
        #expect(text.contains("kind: StatefulSet") && text.contains("volumeClaimTemplates") && text.contains("name: uploads"))
        #expect(!text.contains("data-db-0") && !text.contains("volumeName") && !text.contains("selected-node"))
        for serverSet in [
            "managedFields", "uid:", "resourceVersion", "creationTimestamp", "last-applied-configuration",
            "clusterIP", "status:", "coredns",
        ] {
            #expect(!text.contains(serverSet), "the snapshot still contains \(serverSet)")
        }
        #expect(try server.requests().allSatisfy { !$0.isMutating })
        let run = try Tools.k3sim(["run", out, "--db", db(server)])
        #expect(run.code == 0, "k3sim run rejected the snapshot: \(run.stderr)")
    }

    @Test func dryRunsChangeNothing() throws {
        let server = try FakeK3s()
        let kc = try server.kubeconfig().path
        let drain = try Tools.k3sim(["live", "drill", "--kubeconfig", kc, "--action", "drain", drainTarget, "--db", db(server)])
        #expect(drain.code == 0, "\(drain.stderr)")
        #expect(drain.stdout.contains("PATCH /api/v1/nodes/k3s-agent-fsn1-a {\"spec\":{\"unschedulable\":true}}"))
        #expect(drain.stdout.contains("POST /api/v1/namespaces/shop/pods/web-7c9d8b5f4-a/eviction"))
        #expect(drain.stdout.contains("node-exporter-a belongs to DaemonSet node-exporter: stays"))
        #expect(drain.stdout.contains("Dry run: nothing was changed"))
        for args in [["rollout", "deployment/shop/web"], ["delete-pod", "pod/shop/web-7c9d8b5f4-c"]] {
            let r = try Tools.k3sim(["live", "drill", "--kubeconfig", kc, "--action", args[0], args[1]])
            #expect(r.code == 0, "\(r.stderr)")
        }
        let validate = try Tools.k3sim([
            "live", "validate", "--kubeconfig", kc, "--action", "drain", drainTarget, "--runs", "3",
            "--db", db(server),
        ])
        #expect(validate.code == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("cordoned") && validate.stdout.contains("Dry run"))
        let mutating = try server.requests().filter(\.isMutating)
        #expect(mutating.isEmpty, "mutating requests without --execute: \(mutating)")
        let stored = FileManager.default.fileExists(atPath: db(server)) ? try ResultStore(path: db(server)).runs() : []
        #expect(stored.isEmpty)
    }

    @Test func drainRetries429sAndRecordsTheTimeline() throws {
        let server = try FakeK3s()
        let kc = try server.kubeconfig().path
        let r = try Tools.k3sim([
            "live", "drill", "--kubeconfig", kc, "--action", "drain", drainTarget, "--execute",
            "--timeout", "60s", "--db", db(server),
        ])
        #expect(r.code == 0, "\(r.stderr)")
        let mutating = try server.requests().filter(\.isMutating)
        #expect(mutating.first?.method == "PATCH" && mutating.first?.path == "/api/v1/nodes/k3s-agent-fsn1-a")
        let evictions = mutating.filter { $0.method == "POST" }.map(\.path)
        #expect(
            Set(evictions) == [
                "/api/v1/namespaces/shop/pods/web-7c9d8b5f4-a/eviction", "/api/v1/namespaces/shop/pods/web-7c9d8b5f4-b/eviction",
            ])
        #expect(evictions.count >= 3, "the 429 was not retried: \(evictions)")
        #expect(mutating.count == 1 + evictions.count, "requests beyond the plan: \(mutating)")
        // kubectl drain leaves the node cordoned.
        #expect(try node(server, "k3s-agent-fsn1-a")?[path: "spec", "unschedulable"]?.bool == true)

        let store = try ResultStore(path: db(server))
        let runs = try store.runs()
        #expect(runs.count == 1 && runs[0].source == "live")
        let record = try #require(try store.run(id: runs[0].id)).record
        let f = try #require(record.faults.first)
        #expect(f.action == "drain" && f.target == "node/agents-0")
        #expect(f.milestones.map(\.name) == [.cordoned, .drained])
        #expect((f.stats["evictionRetries"] ?? 0) >= 1)
        let drained = try #require(f.milestone(.drained)) - f.at
        #expect(drained >= 5 && drained < 30, "a 429 retried after 5 s puts drained after 5 s: \(drained)")
        #expect(record.workloads.contains { $0.name == "shop/web" && $0.minReadyReplicas == 2 })
        #expect(r.stdout.contains("cordoned") && r.stdout.contains("drained"))
    }

    @Test func aFailedDrillUncordons() throws {
        let server = try FakeK3s(mode: "pdb-blocks")
        let kc = try server.kubeconfig().path
        let r = try Tools.k3sim([
            "live", "drill", "--kubeconfig", kc, "--action", "drain", drainTarget, "--execute",
            "--timeout", "3s", "--db", db(server),
        ])
        #expect(r.code == 1)
        #expect(r.stderr.contains("restored: uncordoned node k3s-agent-fsn1-a"))
        #expect(r.stderr.contains("timed out"))
        let mutating = try server.requests().filter(\.isMutating)
        #expect(mutating.last?.method == "PATCH" && mutating.last?.path == "/api/v1/nodes/k3s-agent-fsn1-a")
        #expect(try node(server, "k3s-agent-fsn1-a")?[path: "spec", "unschedulable"] == nil)
        let store = try ResultStore(path: db(server))
        let latest = try #require(try store.latestRunID())
        let record = try #require(try store.run(id: latest)).record
        #expect(record.faults[0].milestones.map(\.name) == [.cordoned, .drainFailed])
    }

    @Test func anInterruptedDrillUncordons() throws {
        let server = try FakeK3s(mode: "pdb-blocks")
        let kc = try server.kubeconfig().path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Tools.k3simBinary)
        p.arguments = [
            "live", "drill", "--kubeconfig", kc, "--action", "drain", drainTarget, "--execute", "--timeout", "5m", "--db",
            db(server),
        ]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        let deadline = Date().addingTimeInterval(30)
        while try !server.requests().contains(where: { $0.method == "POST" }) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        kill(p.processIdentifier, SIGINT)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(stderr.contains("interrupted"))
        #expect(stderr.contains("restored: uncordoned node k3s-agent-fsn1-a"))
        #expect(try node(server, "k3s-agent-fsn1-a")?[path: "spec", "unschedulable"] == nil)
    }

    @Test func validateStoresTheComparisonAndReportShowsIt() throws {
        let server = try FakeK3s()
        let kc = try server.kubeconfig().path
        let scenario = server.dir.appendingPathComponent("validate.yaml").path
        let r = try Tools.k3sim([
            "live", "validate", "--kubeconfig", kc, "--action", "drain", drainTarget, "--execute", "--runs", "5",
            "--timeout", "60s", "--scenario-out", scenario, "--db", db(server), "--json",
        ])
        #expect(r.code == 0, "\(r.stderr)")
        let doc = try JSONValue.parse(Data(r.stdout.utf8))
        let live = Int64(try #require(doc["liveRunId"]?.int))
        let rows = try #require(doc["milestones"]?.array)
        #expect(rows.map { $0["milestone"]?.string ?? "" } == ["cordoned", "drained"])
        #expect(rows.allSatisfy { $0["observed"]?.int != nil || $0["observed"]?.string == nil })
        let stored = try ResultStore(path: db(server)).validations(liveRunID: live)
        #expect(stored.count == 1 && stored[0].simulatedRuns == 5 && stored[0].kind == "drill")
        #expect(stored[0].milestones.first { $0.milestone == "drained" }?.simulated != nil)
        // The scenario written holds the drill as its fault, with the scenario's node name.
        #expect(try String(contentsOfFile: scenario, encoding: .utf8).contains("target: node/agents-0"))
        let out = server.dir.appendingPathComponent("reports").path
        let report = try Tools.k3sim(["report", String(live), "--out", out, "--db", db(server)])
        #expect(report.code == 0, "\(report.stderr)")
        #expect(report.stdout.contains("validation-\(live)-"))
    }

    @Test func rolloutAndDeletePodRecordTheSimulationsMilestones() throws {
        let server = try FakeK3s()
        let kc = try server.kubeconfig().path
        let rollout = try Tools.k3sim([
            "live", "drill", "--kubeconfig", kc, "--action", "rollout", "deployment/shop/web", "--execute",
            "--timeout", "60s", "--db", db(server), "--json",
        ])
        #expect(rollout.code == 0, "\(rollout.stderr)")
        let r = try JSONValue.parse(Data(rollout.stdout.utf8))
        let f = try #require(r["faults"]?.array?.first)
        #expect(f["milestones"]?["started"] != nil && f["milestones"]?["completed"] != nil)
        #expect((f[path: "stats", "maxPods"]?.int ?? 0) >= 4)
        // A fresh cluster for the deletion: the rollout replaces every original pod, and how
        // soon the last old one is gone after the drill ends depends on the machine's load.
        let fresh = try FakeK3s()
        let delete = try Tools.k3sim([
            "live", "drill", "--kubeconfig", try fresh.kubeconfig().path, "--action", "delete-pod",
            "pod/shop/web-7c9d8b5f4-c", "--execute", "--timeout", "60s", "--db", db(fresh), "--json",
        ])
        #expect(delete.code == 0, "\(delete.stderr)")
        let d = try JSONValue.parse(Data(delete.stdout.utf8))
        let names = Set((d["faults"]?.array?.first?["milestones"]?.object ?? [:]).keys)
        #expect(names == ["deleted", "replacementsReady", "recovered"])
        #expect(try server.requests().filter(\.isMutating).map(\.method) == ["PATCH"])
        #expect(try fresh.requests().filter(\.isMutating).map(\.method) == ["DELETE"])
    }

    @Test func noCredentialReachesTheDatabaseOrTheOutput() throws {
        let server = try FakeK3s()
        var outputs = ""
        for auth in ["cert", "token"] {
            let kc = try server.kubeconfig(auth: auth, name: "\(auth).yaml").path
            for args in [
                ["live", "snapshot", "--kubeconfig", kc],
                [
                    "live", "drill", "--kubeconfig", kc, "--action", "delete-pod",
                    "pod/shop/web-7c9d8b5f4-\(auth == "cert" ? "a" : "b")",
                    "--execute", "--timeout", "60s", "--db", db(server),
                ],
                ["live", "drill", "--kubeconfig", kc, "--action", "drain", "node/nope", "--db", db(server)],
            ] {
                let r = try Tools.k3sim(args)
                outputs += r.stdout + r.stderr
            }
        }
        #expect(outputs.contains("node nope does not exist"))
        let database = try Data(contentsOf: URL(fileURLWithPath: db(server)))
        let dbText = String(decoding: database, as: UTF8.self)
        for secret in try [server.token] + server.pki.clientKeySecretMaterial() {
            #expect(!outputs.contains(secret), "a credential appeared in k3sim's output")
            #expect(!dbText.contains(secret), "a credential appeared in the database")
        }
        #expect(try ResultStore(path: db(server)).runs().count == 2)
    }
}

import Foundation
import Live
import Simulation
import Store
import Testing

/// `k3sim live etcd` against a real three-member etcd cluster started on loopback with
/// heartbeat 100 ms and election timeout 1000 ms: killing the leader during a probe must give
/// one leader change and an unavailability window inside the range the simulation predicts for
/// those settings (widened by the probe's resolution), stored as a validation record.
@Suite(.serialized, .enabled(if: Tools.etcdAvailable, Comment(rawValue: Tools.etcdMissing)))
struct EtcdProbeTests {
    /// A probe that no endpoint ever answered has measured nothing about the cluster: it exits 1
    /// (no etcd needed: nothing listens on the port).
    @Test func aProbeNobodyAnsweredFails() throws {
        let r = try Tools.k3sim([
            "live", "etcd", "probe", "--endpoints", "http://127.0.0.1:\(Tools.freePort())",
            "--duration", "1s", "--interval", "200ms", "--request-timeout", "200ms",
        ])
        #expect(r.code == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("no write was answered"))
    }

    @Test func statusNamesTheLeaderAndMembers() throws {
        let cluster = try EtcdCluster()
        let leader = try cluster.waitForLeader()
        let r = try Tools.k3sim(["live", "etcd", "status", "--endpoints", cluster.endpoints.joined(separator: ","), "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let doc = try JSONValue.parse(Data(r.stdout.utf8))
        #expect(doc["leader"]?.string == leader)
        #expect(Set((doc["members"]?.array ?? []).compactMap { $0["name"]?.string }) == ["m0", "m1", "m2"])
        #expect((doc["raftTerm"]?.int ?? 0) >= 2)
        // put/get through the JSON gateway.
        let client = EtcdClient(endpoints: cluster.endpoints, http: HTTPClient(proxyEnvironment: ProxyEnvironment()))
        try client.put(cluster.endpoints[0], key: "k3sim/test", value: "v1")
        #expect(try client.get(cluster.endpoints[1], key: "k3sim/test") == "v1")
        #expect(try client.get(cluster.endpoints[1], key: "k3sim/absent") == nil)
    }

    @Test func killingTheLeaderDuringAProbeFallsInsideTheSimulatedRange() throws {
        let cluster = try EtcdCluster(heartbeatMilliseconds: 100, electionTimeoutMilliseconds: 1000)
        let leader = try cluster.waitForLeader()
        let db = cluster.dir.appendingPathComponent("results.sqlite").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Tools.k3simBinary)
        // The probe starts on a follower, the worst case: its writes hang until the timeout.
        let order = cluster.members.sorted { a, _ in a.name != leader }.map(\.clientURL)
        // A generous request timeout: a slow answer on this shared machine is not an outage
        // (attempts do not wait for each other, so it does not coarsen the measurement).
        p.arguments = [
            "live", "etcd", "probe", "--endpoints", order.joined(separator: ","), "--duration", "8s", "--interval", "50ms",
            "--request-timeout", "2s",
            "--heartbeat-interval", "100ms", "--election-timeout", "1s", "--member-round-trip", "1ms",
            "--validate", "200", "--db", db, "--json",
        ]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        Thread.sleep(forTimeInterval: 3)
        cluster.kill(member: leader)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let doc = try JSONValue.parse(data)
        #expect(doc["leaderChanges"]?.int == 1)
        let windows = try #require(doc["windows"]?.array)
        #expect(!windows.isEmpty && windows.allSatisfy { $0["open"]?.bool == false }, "windows: \(windows)")
        let v = try #require(doc["validation"])
        // The window in which the leader changed (fault 0 of the live record).
        let longest = try #require(v["observed"]?.double)
        #expect(
            abs(longest - (doc["longestUnavailableSeconds"]?.double ?? 0)) < 1e-6,
            "the leader loss is not the longest window: \(windows)")
        let sim = try #require(v["simulated"])
        let lo = try #require(sim["min"]?.double ?? sim["min"]?.int.map(Double.init))
        let hi = try #require(sim["max"]?.double ?? sim["max"]?.int.map(Double.init))
        // The simulation's range for heartbeat 100 ms / election timeout 1 s: about 0.9–1.9 s.
        #expect(lo >= 0.8 && hi <= 2.1, "simulated range \(lo)–\(hi) s")
        #expect(longest >= lo - 0.05 && longest <= hi + 0.05, "measured \(longest) s, simulated \(lo)–\(hi) s (resolution 50 ms)")
        #expect(v["inside"]?.bool == true)
        // The validation record: the probe's window and the prediction side by side.
        let store = try ResultStore(path: db)
        let liveID = Int64(try #require(v["liveRunId"]?.int))
        let stored = try store.validations(liveRunID: liveID)
        #expect(stored.count == 1 && stored[0].kind == "etcd-probe" && stored[0].simulatedRuns == 200)
        let row = try #require(stored[0].milestones.first { $0.milestone == "leaderElected" })
        #expect(row.inside == true && row.simulated?.runs == 200)
        let live = try #require(try store.run(id: liveID)).record
        #expect(live.source == "live" && live.controlPlane.leaderChanges == 1)
        print(
            "etcd probe: measured leader-loss window \(String(format: "%.3f", longest)) s; simulated p50 \(String(format: "%.3f", sim["p50"]?.double ?? 0)) s, range \(lo)–\(hi) s"
        )
    }
}

extension JSONValue {
    var double: Double? {
        switch self {
        case .double(let d): d;
        case .int(let i): Double(i);
        default: nil
        }
    }
}

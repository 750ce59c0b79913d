import Foundation
import Live
import Simulation
import Store
import Testing

/// `k3sim live etcd partition` end to end: a real etcd in network namespaces, one short leader
/// partition, a few dozen simulated runs, the validation stored and rendered.
@Suite(.serialized)
struct EtcdPartitionCLITests {
    /// Without an etcd binary the command stops before touching anything: one sentence, exit 2.
    @Test func aMissingEtcdBinaryIsOneSentenceAndExitTwo() throws {
        let r = try Tools.k3sim(["live", "etcd", "partition", "--etcd", "/nonexistent/etcd", "--trials", "1"])
        #expect(r.code == 2, "\(r.stdout)\(r.stderr)")
        #expect(
            r.stderr.hasPrefix("k3sim live etcd partition needs ") && r.stderr.filter { $0 == "\n" }.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("/nonexistent/etcd is not an executable file; apt-get install etcd-server"), "\(r.stderr)")
    }

    static func namespaces() -> [String] {
        ((try? Tools.run(Tools.which("ip") ?? "/usr/sbin/ip", ["netns", "list"]))?.stdout ?? "")
            .split(separator: "\n").map { String($0.split(separator: " ")[0]) }
    }

    @Test(.enabled(if: EtcdNetnsCluster.available, Comment(rawValue: EtcdNetnsCluster.missing)))
    func aLeaderPartitionIsMeasuredSimulatedAndStored() throws {
        let dir = try Tools.tempDir("etcd-partition-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("results.sqlite").path
        let r = try Tools.k3sim([
            "live", "etcd", "partition", "--role", "leader", "--partition", "3s", "--trials", "1", "--runs", "30",
            "--db", db, "--json",
        ])
        #expect(r.code == 0, "\(r.stderr)")
        let doc = try JSONValue.parse(Data(r.stdout.utf8))
        let used = try #require(doc["namespaces"]?.array).compactMap(\.string)
        #expect(used.count == 3 && Set(used).isDisjoint(with: Self.namespaces()), "namespaces left behind: \(used)")
        let links = (try Tools.run(Tools.which("ip")!, ["-o", "link"])).stdout
        #expect(!used.contains { links.contains($0) }, "links left behind: \(used)")
        let liveID = Int64(try #require(doc["liveRunId"]?.int))
        let tolerance = try #require(doc["toleranceSeconds"]?.double)
        #expect(doc["simulatedRuns"]?.int == 30 && doc["trials"]?.array?.count == 1)
        // One write interval and the cut/heal command time: a few tens of milliseconds.
        #expect(tolerance > 0.05 && tolerance < 0.5)

        let store = try ResultStore(path: db)
        let stored = try store.validations(liveRunID: liveID)
        #expect(stored.count == 1 && stored[0].kind == "etcd-partition" && stored[0].simulatedRuns == 30)
        #expect(stored[0].toleranceSeconds == tolerance)
        let rows = stored[0].milestones
        #expect(rows.map(\.milestone) == EtcdPartitionQuantity.allCases.map(\.rawValue) && rows.allSatisfy { $0.faultIndex == 0 })
        for row in rows {
            let q = try #require(EtcdPartitionQuantity(rawValue: row.milestone))
            let tol = q.isFraction ? 0 : tolerance
            guard q.simulated else { #expect(row.inside == nil); continue }
            if let o = row.observed, let s = row.simulated {
                #expect(row.inside == (o >= s.min - tol && o <= s.max + tol), "\(row)")
            }
        }
        func observed(_ q: EtcdPartitionQuantity) -> Double? { rows.first { $0.milestone == q.rawValue }?.observed }
        // A leader partition: the majority loses writes for about one to two election timeouts
        // and elects; every write through the cut-off member during the partition fails.
        let outage = try #require(observed(.majorityUnavailable))
        #expect(outage > 0.5 && outage < 4.5)
        #expect(observed(.newLeader) != nil && observed(.minorityWritesFailed) == 1)
        #expect(rows.first { $0.milestone == EtcdPartitionQuantity.majorityUnavailable.rawValue }?.simulated?.runs == 30)

        // The trial is a live run with the milestones both sides have, next to its simulation.
        let live = try #require(try store.run(id: liveID)).record
        #expect(live.source == "live" && live.faults.count == 1 && live.faults[0].action == "partition")
        #expect(
            [MilestoneName.partitioned, .leaderLost, .leaderElected, .healed].allSatisfy { live.faults[0].milestone($0) != nil })
        let out = dir.appendingPathComponent("reports").path
        let rep = try Tools.k3sim(["report", "\(liveID)", "--db", db, "--out", out, "--format", "md"])
        #expect(rep.code == 0, "\(rep.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.contains { $0.hasPrefix("validation-\(liveID)-") }, "\(files)")
        print("etcd partition CLI: \(r.stdout.count) bytes of JSON; majority outage \(outage) s, tolerance \(tolerance) s")
    }
}

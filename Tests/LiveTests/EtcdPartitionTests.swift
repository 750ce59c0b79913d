import Foundation
import Live
import Testing

/// A real three-member etcd (heartbeat 100 ms, election timeout 1 s, --pre-vote; CheckQuorum is
/// always on in etcd 3.4) with each member in its own network namespace: the leader, then a
/// follower, is cut off from raft traffic and healed while writes go through a majority member
/// and through the cut-off member. Checks what raft promises with these settings:
///
/// - cut-off leader: the majority elects a new leader within two election timeouts of the cut
///   (a follower campaigns after a randomized timeout in [et, 2·et) since the last heartbeat,
///   raft.go resetRandomizedElectionTimeout), plus slack for one pre-vote that the other
///   follower rejects while its lease still runs, and the old leader steps down by CheckQuorum
///   within two election timeouts (stepLeader MsgCheckQuorum, every et ticks);
/// - cut-off member: none of its writes succeed during the partition, and they work again after the heal;
/// - with pre-vote the heal changes nothing: no election and no new term afterwards, and a
///   cut-off follower never makes the term move at all.
///
/// By default one trial of each (about 40 s). With K3SIM_ETCD_PARTITION_TRIALS=N it runs N of
/// each, and with K3SIM_ETCD_PARTITION_RECORD=PATH it writes the measured distributions there
/// (Tests/LiveTests/Fixtures/etcd-partition-measured.json was made that way; see its `command`).
@Suite(.serialized, .enabled(if: EtcdNetnsCluster.available, Comment(rawValue: EtcdNetnsCluster.missing)))
struct EtcdPartitionTests {
    static let heartbeatMilliseconds = 100
    static let electionTimeoutMilliseconds = 1000

    @Test func cuttingOffTheLeaderOrAFollowerAndHealing() throws {
        let env = ProcessInfo.processInfo.environment
        let perRole = max(1, Int(env["K3SIM_ETCD_PARTITION_TRIALS"] ?? "") ?? 1)
        let partition = Double(env["K3SIM_ETCD_PARTITION_SECONDS"] ?? "") ?? 6
        let et = Double(Self.electionTimeoutMilliseconds) / 1000
        let cluster = try EtcdNetnsCluster(heartbeatMilliseconds: Self.heartbeatMilliseconds,
                                           electionTimeoutMilliseconds: Self.electionTimeoutMilliseconds)
        defer { cluster.tearDown() }
        _ = try cluster.waitForLeader(timeout: 30)

        var trials: [EtcdPartitionExperiment.Trial] = []
        // Alternate, so that a slow spell of the shared machine does not land on one kind only.
        for k in 0..<(2 * perRole) {
            let role: EtcdPartitionExperiment.Role = k % 2 == 0 ? .leader : .follower
            let t = try EtcdPartitionExperiment(role: role, partitionSeconds: partition).run(on: cluster)
            trials.append(t)
            print("etcd partition trial \(k): \(Self.line(t))")

            #expect(t.minorityWritesDuringPartition > 0 && t.minoritySucceededDuringPartition == 0,
                    "writes through the cut-off member succeeded during the partition: \(Self.line(t))")
            #expect(t.minorityRecoverySeconds != nil, "no write through the cut-off member worked after the heal: \(Self.line(t))")
            #expect(t.leaderElectionsAfterHeal == 0 && t.candidatesAfterHeal == 0 && t.termAtEnd == t.termAtHeal,
                    "the heal caused an election: \(Self.line(t))")
            #expect(t.allAgreeStatusSeconds != nil, "the members did not agree on a leader after the heal: \(Self.line(t))")
            switch role {
            case .leader:
                let elected = try #require(t.newLeaderSeconds, "no new leader after the leader was cut off: \(Self.line(t))")
                #expect(t.newLeader != t.cutMember)
                // 2·et for the randomized timeout, + et for a rejected pre-vote and a slow machine.
                #expect(elected <= 3 * et, "new leader after \(elected) s: \(Self.line(t))")
                #expect(t.majorityUnavailableSeconds <= 3 * et + 0.5, "majority writes failed for \(t.majorityUnavailableSeconds) s")
                let stepDown = try #require(t.oldLeaderStepDownSeconds, "the cut-off leader never stepped down: \(Self.line(t))")
                #expect(stepDown >= et - 0.2 && stepDown <= 2 * et + 0.5, "CheckQuorum step-down after \(stepDown) s")
                #expect(t.termAtEnd > t.termBefore)
            case .follower:
                // The majority keeps its leader; with pre-vote the cut-off follower never raises the term.
                #expect(t.newLeader == nil && t.termAtEnd == t.termBefore, "a follower partition changed the leader or term: \(Self.line(t))")
                #expect(t.majorityUnavailableSeconds <= 1, "majority writes failed for \(t.majorityUnavailableSeconds) s")
            }
        }

        if let path = env["K3SIM_ETCD_PARTITION_RECORD"], !path.isEmpty {
            let record = EtcdPartitionRecord(
                description: "Partitions of a real three-member etcd cluster on one machine, each member in its own network namespace; "
                    + "measured by Tests/LiveTests/EtcdPartitionTests.swift (harness Tests/LiveTests/Support/EtcdNetnsCluster.swift, tools/etcd-netns).",
                measuredAt: ISO8601DateFormatter().string(from: Date()),
                etcdVersion: EtcdNetnsCluster.etcdVersion,
                command: "K3SIM_ETCD_PARTITION_TRIALS=\(perRole) K3SIM_ETCD_PARTITION_SECONDS=\(Int(partition)) "
                    + "K3SIM_ETCD_PARTITION_RECORD=Tests/LiveTests/Fixtures/etcd-partition-measured.json "
                    + "swift test --disable-xctest --filter EtcdPartitionTests (as root)",
                settings: [
                    "members": "3",
                    "heartbeatInterval": "\(Self.heartbeatMilliseconds)ms",
                    "electionTimeout": "\(Self.electionTimeoutMilliseconds)ms",
                    "preVote": "true (--pre-vote=true; off by default in etcd 3.4, embed.NewConfig)",
                    "checkQuorum": "true (not a flag in etcd 3.4: etcdserver/raft.go startNode and restartNode set raft.Config.CheckQuorum)",
                    "logger": "zap (raft state changes with millisecond wall-clock timestamps)",
                ],
                method: [
                    "partition": "the host end of the member's peer veth set down (`ip link set NAMEiP down`) for \(partition) s, then up; "
                        + "raft traffic (:2380) to and from it is dropped while its client URL (:2379, another bridge) keeps answering",
                    "trials": "\(perRole) with the leader cut off and \(perRole) with a follower cut off, alternating, on one cluster; "
                        + "each waits until all members name one leader at one term and a write through each member succeeds",
                    "writes": "a put every 50 ms through a majority follower and through the cut-off member, each separately (no failover), "
                        + "request timeout 2 s, attempts not waiting for each other",
                    "statuses": "Maintenance.Status of every member every 50 ms (timeout 0.5 s)",
                    "majorityUnavailableSeconds": "start of the first write through the majority follower that failed or stalled (no answer in 2 s) "
                        + "to the end of the first later-started write that succeeded; 0 when none failed",
                    "newLeaderSeconds": "cut to the first `became leader` line in any member's log",
                    "oldLeaderStepDownSeconds": "cut to the cut-off leader's `stepped down to follower since quorum is not active`",
                    "cutOffLostLeaderSeconds": "cut to the cut-off member's `lost leader` line",
                    "minorityFailedThroughout": "trials in which no write through the cut-off member started between cut + 0.1 s and the heal succeeded",
                    "minorityRecoverySeconds": "heal to the end of the first successful write through the cut-off member",
                    "allAgreeSeconds": "heal to the cut-off member's `elected leader`/`changed leader` line (the others never lost the leader)",
                    "allAgreeStatusSeconds": "heal to the first moment every member's latest status names the same leader at the same term",
                    "electionAfterHeal": "a `became leader` line in any log after the heal; termChangeAfterHeal: the highest polled term moved after the heal",
                ],
                summary: [
                    "leader": .init(trials.filter { $0.role == .leader }),
                    "follower": .init(trials.filter { $0.role == .follower }),
                ],
                trials: trials)
            try record.write(to: path)
        }
    }

    static func line(_ t: EtcdPartitionExperiment.Trial) -> String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "-" }
        return "\(t.role.rawValue) \(t.cutMember) cut (leader \(t.leaderBefore), term \(t.termBefore)): majority unavailable \(f(t.majorityUnavailableSeconds)) s, "
            + "new leader \(t.newLeader ?? "-") after \(f(t.newLeaderSeconds)) s, step-down \(f(t.oldLeaderStepDownSeconds)) s, "
            + "cut-off lost leader \(f(t.cutOffLostLeaderSeconds)) s, minority \(t.minoritySucceededDuringPartition)/\(t.minorityWritesDuringPartition) ok, "
            + "recovered \(f(t.minorityRecoverySeconds)) s after heal, elections after heal \(t.leaderElectionsAfterHeal), "
            + "term \(t.termAtHeal)→\(t.termAtEnd), all agree \(f(t.allAgreeSeconds)) s (status \(f(t.allAgreeStatusSeconds)) s)"
    }
}

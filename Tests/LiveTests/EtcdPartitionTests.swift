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
///   raft.go resetRandomizedElectionTimeout), or two more after a split vote (both followers
///   drew the same timeout), and the old leader steps down by CheckQuorum between one and two
///   election timeouts after the cut (stepLeader MsgCheckQuorum, every et ticks);
/// - cut-off member: none of its writes succeeds before the heal, and they work again after it
///   (writes that hung until the heal may then succeed: a follower without a leader holds proposals);
/// - with pre-vote the heal changes nothing: no election and no new term afterwards, and a
///   cut-off follower never makes the term move at all.
///
/// By default one trial of each (about 30 s). With K3SIM_ETCD_PARTITION_TRIALS=N it runs N of
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
        let cluster = try EtcdNetnsCluster.start(
            heartbeatMilliseconds: Self.heartbeatMilliseconds,
            electionTimeoutMilliseconds: Self.electionTimeoutMilliseconds)
        defer { cluster.tearDown() }
        _ = try cluster.waitForLeader(timeout: 30)

        let loadBefore = Self.loadAverage()
        var trials: [EtcdPartitionExperiment.Trial] = []
        // Alternate, so that a slow spell of the shared machine does not land on one kind only.
        for k in 0..<(2 * perRole) {
            var role: EtcdPartitionExperiment.Role = k % 2 == 0 ? .leader : .follower
            // K3SIM_ETCD_PARTITION_ROLE=leader|follower: only that kind (to look at one closely).
            if let only = env["K3SIM_ETCD_PARTITION_ROLE"].flatMap(EtcdPartitionExperiment.Role.init(rawValue:)) { role = only }
            let t: EtcdPartitionExperiment.Trial
            do { t = try EtcdPartitionExperiment(role: role, partitionSeconds: partition).run(on: cluster) } catch {
                Issue.record("trial \(k) (\(role.rawValue)): \(error)")
                continue
            }
            trials.append(t)
            print("etcd partition trial \(k): \(Self.line(t))")

            #expect(
                t.minorityWritesDuringPartition > 0 && t.minoritySucceededDuringPartition == 0,
                "writes through the cut-off member succeeded during the partition: \(Self.line(t))")
            #expect(
                t.minorityRecoverySeconds != nil, "no write through the cut-off member worked after the heal: \(Self.line(t))")
            #expect(
                t.leaderElectionsAfterHeal == 0 && t.candidatesAfterHeal == 0 && t.termAtEnd == t.termAtHeal,
                "the heal caused an election: \(Self.line(t))")
            #expect(t.allAgreeStatusSeconds != nil, "the members did not agree on a leader after the heal: \(Self.line(t))")
            switch role {
            case .leader:
                // (Not #require: a failed trial must not stop the others or the record.)
                #expect(
                    t.newLeader != nil && t.newLeader != t.cutMember,
                    "no new leader after the leader was cut off: \(Self.line(t))")
                // 2·et for the randomized timeout, + 2·et for one more round after a split vote.
                #expect((t.newLeaderSeconds ?? .infinity) <= 4 * et, "late new leader: \(Self.line(t))")
                #expect(
                    t.majorityUnavailableSeconds <= 4 * et + 0.5, "majority writes failed for \(t.majorityUnavailableSeconds) s")
                // Checked every et ticks with the activity of the et before: between et and 2·et after the cut.
                let stepDown = t.oldLeaderStepDownSeconds ?? .infinity
                #expect(stepDown >= et - 0.2 && stepDown <= 2 * et + 0.5, "CheckQuorum step-down: \(Self.line(t))")
                #expect(t.termAtEnd > t.termBefore)
            case .follower:
                // The majority keeps its leader; with pre-vote the cut-off follower never raises the term.
                #expect(
                    t.newLeader == nil && t.termAtEnd == t.termBefore,
                    "a follower partition changed the leader or term: \(Self.line(t))")
                #expect(t.majorityUnavailableSeconds <= 1, "majority writes failed for \(t.majorityUnavailableSeconds) s")
            }
        }

        if let path = env["K3SIM_ETCD_PARTITION_RECORD"], !path.isEmpty {
            let record = EtcdPartitionRecord(
                description:
                    "Partitions of a real three-member etcd cluster on one machine, each member in its own network namespace; "
                    + "measured by Tests/LiveTests/EtcdPartitionTests.swift (harness Sources/Live/Etcd/Partition/EtcdNetnsCluster.swift).",
                measuredAt: ISO8601DateFormatter().string(from: Date()),
                etcdVersion: EtcdNetnsCluster.etcdVersion(Tools.which("etcd")!),
                command: "K3SIM_ETCD_PARTITION_TRIALS=\(perRole) K3SIM_ETCD_PARTITION_SECONDS=\(Int(partition)) "
                    + "K3SIM_ETCD_PARTITION_RECORD=Tests/LiveTests/Fixtures/etcd-partition-measured.json "
                    + "swift test --disable-xctest --filter EtcdPartitionTests (as root)",
                settings: [
                    "members": "3",
                    "heartbeatInterval": "\(Self.heartbeatMilliseconds)ms",
                    "electionTimeout": "\(Self.electionTimeoutMilliseconds)ms",
                    "preVote": "true (--pre-vote=true; off by default in etcd 3.4, embed.NewConfig)",
                    "checkQuorum":
                        "true (not a flag in etcd 3.4: etcdserver/raft.go startNode and restartNode set raft.Config.CheckQuorum)",
                    "logger": "zap (raft state changes with millisecond wall-clock timestamps)",
                ],
                method: [
                    "partition":
                        "the host end of the member's peer veth set down (`ip link set NAMEiP down`) for \(partition) s, then up; "
                        + "raft traffic (:2380) to and from it is dropped while its client URL (:2379, another bridge) keeps answering",
                    "machine":
                        "\(ProcessInfo.processInfo.activeProcessorCount) cores, Linux \(ProcessInfo.processInfo.operatingSystemVersionString); "
                        + "load average (1, 5, 15 min) before \(loadBefore), after \(Self.loadAverage())",
                    "members":
                        "started 0–\(Self.heartbeatMilliseconds) ms apart at random, so that their raft tickers are not in phase "
                        + "(started together, two followers that draw the same randomized timeout campaign in the same millisecond and split the vote)",
                    "trials":
                        "\(perRole) with the leader cut off and \(perRole) with a follower cut off, alternating, on one cluster; "
                        + "each waits until all members name one leader at one term and a write through each member succeeds",
                    "writes":
                        "a put every 50 ms through a majority follower and through the cut-off member, each separately (no failover), "
                        + "request timeout 2 s, attempts not waiting for each other",
                    "statuses": "Maintenance.Status of every member every 50 ms (timeout 0.5 s)",
                    "majorityUnavailableSeconds":
                        "start of the first write through the majority follower that failed or stalled (no answer in 2 s) "
                        + "to the end of the first later-started write that succeeded; 0 when none failed",
                    "times":
                        "from the moment `tools/etcd-netns cut` (or `heal`) returned; the link changed up to cutCommandSeconds (the command's run time) before",
                    "newLeaderSeconds": "cut to the first `became leader` line in any member's log",
                    "oldLeaderStepDownSeconds":
                        "cut to the cut-off leader's `stepped down to follower since quorum is not active`",
                    "cutOffLostLeaderSeconds": "cut to the cut-off member's `lost leader` line",
                    "minorityFailedThroughout":
                        "trials in which no write through the cut-off member started between cut + 0.1 s and the heal succeeded before the heal",
                    "stalledWritesSucceedingAfterHeal":
                        "writes through the cut-off member started during the partition that hung and succeeded after the heal (within the 2 s timeout)",
                    "minorityRecoverySeconds":
                        "heal to the end of the first successful write through the cut-off member (a write that hung through the heal counts); "
                        + "minorityRecoveryFreshSeconds: the same for writes started after the heal",
                    "raftEvents":
                        "per trial: every member's raft state changes (became/elected/lost leader, stepped down, ignored votes) from the cut on",
                    "allAgreeSeconds":
                        "heal to the cut-off member's `elected leader`/`changed leader` line (the others never lost the leader)",
                    "allAgreeStatusSeconds":
                        "heal to the first moment every member's latest status names the same leader at the same term",
                    "electionAfterHeal":
                        "a `became leader` line in any log after the heal; termChangeAfterHeal: the highest polled term moved after the heal",
                ],
                summary: [
                    "leader": .init(trials.filter { $0.role == .leader }),
                    "follower": .init(trials.filter { $0.role == .follower }),
                ],
                trials: trials)
            try record.write(to: path)
        }
    }

    /// `k3sim live etcd probe --each-endpoint` during a follower partition: the cut-off member's
    /// endpoint shows one window spanning the partition, closed after the heal; the majority's
    /// endpoints keep writing and see no leader change.
    @Test func probingEachEndpointSeparatelyShowsBothSidesOfAPartition() throws {
        let cluster = try EtcdNetnsCluster.start(
            heartbeatMilliseconds: Self.heartbeatMilliseconds,
            electionTimeoutMilliseconds: Self.electionTimeoutMilliseconds)
        defer { cluster.tearDown() }
        let (leader, _) = try cluster.waitForLeader(timeout: 30)
        let cut = (0..<cluster.size).first { $0 != leader }!
        let partition = 5.0
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Tools.k3simBinary)
        p.arguments = [
            "live", "etcd", "probe", "--endpoints", cluster.endpoints.joined(separator: ","), "--request-timeout", "2s",
            "--each-endpoint", "--duration", "10s", "--interval", "50ms", "--json",
        ]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        Thread.sleep(forTimeInterval: 2)
        try cluster.cut(cut)
        Thread.sleep(forTimeInterval: partition)
        try cluster.heal(cut)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let doc = try JSONValue.parse(data)
        let entries = try #require(doc["endpoints"]?.array)
        #expect(entries.map { $0["endpoint"]?.string } == cluster.endpoints.map(Optional.some))
        for (i, e) in entries.enumerated() {
            let windows = e["windows"]?.array ?? []
            #expect(e["leaderChanges"]?.int == 0, "endpoint \(i): \(e)")
            if i == cut {
                // Writes fail from the cut to the heal and work again soon after it. A write that hung
                // through the heal may succeed and close the window up to a request timeout (2 s) early.
                #expect(!windows.isEmpty && windows.allSatisfy { $0["open"]?.bool == false }, "cut-off endpoint: \(e)")
                let seconds = windows.map { w in (w["end"]?.double ?? 0) - (w["start"]?.double ?? 0) }.reduce(0, +)
                #expect(seconds >= partition - 2.5 && seconds <= partition + 2, "cut-off endpoint unavailable \(seconds) s: \(e)")
            } else {
                #expect((e["longestUnavailableSeconds"]?.double ?? 0) <= 1, "majority endpoint \(i): \(e)")
            }
        }
    }

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(
            separator: " ")
    }

    static func line(_ t: EtcdPartitionExperiment.Trial) -> String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "-" }
        return
            "\(t.role.rawValue) \(t.cutMember) cut (leader \(t.leaderBefore), term \(t.termBefore)): majority unavailable \(f(t.majorityUnavailableSeconds)) s, "
            + "new leader \(t.newLeader ?? "-") after \(f(t.newLeaderSeconds)) s, step-down \(f(t.oldLeaderStepDownSeconds)) s, "
            + "cut-off lost leader \(f(t.cutOffLostLeaderSeconds)) s, minority \(t.minoritySucceededDuringPartition)/\(t.minorityWritesDuringPartition) ok"
            + (t.minorityStalledThenSucceeded.isEmpty
                ? "" : ", \(t.minorityStalledThenSucceeded.count) hung through the heal and succeeded") + ", "
            + "recovered \(f(t.minorityRecoverySeconds)) s after heal, elections after heal \(t.leaderElectionsAfterHeal), "
            + "term \(t.termAtHeal)→\(t.termAtEnd), all agree \(f(t.allAgreeSeconds)) s (status \(f(t.allAgreeStatusSeconds)) s)"
    }
}

/// The stored measurement (needs neither root nor etcd): it decodes, its summaries are those of
/// its trials, and every trial shows what the live test checks.
@Suite struct EtcdPartitionRecordTests {
    @Test func theStoredMeasurementShowsWhatRaftPromises() throws {
        let url = Tools.fixtures.appendingPathComponent("etcd-partition-measured.json")
        let record = try JSONDecoder().decode(EtcdPartitionRecord.self, from: Data(contentsOf: url))
        #expect(record.etcdVersion.hasPrefix("3.4"))
        let leader = record.trials.filter { $0.role == .leader }, follower = record.trials.filter { $0.role == .follower }
        #expect(leader.count >= 20 && follower.count >= 20)
        #expect(record.summary["leader"] == EtcdPartitionRecord.Summary(leader))
        #expect(record.summary["follower"] == EtcdPartitionRecord.Summary(follower))
        for t in record.trials {
            #expect(t.minoritySucceededDuringPartition == 0 && t.minorityRecoverySeconds != nil, "\(EtcdPartitionTests.line(t))")
            #expect(t.leaderElectionsAfterHeal == 0 && t.termAtEnd == t.termAtHeal, "\(EtcdPartitionTests.line(t))")
        }
        #expect(leader.allSatisfy { $0.newLeader != nil && $0.newLeader != $0.cutMember && $0.oldLeaderStepDownSeconds != nil })
        #expect(follower.allSatisfy { $0.newLeader == nil && $0.majorityFailedWrites == 0 && $0.termAtEnd == $0.termBefore })
    }
}

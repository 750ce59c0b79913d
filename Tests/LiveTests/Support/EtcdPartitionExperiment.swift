import Foundation
import Live

/// One partition trial on an `EtcdNetnsCluster`: the leader (or a follower) is cut off from
/// raft for a while and healed, while writes go through a majority member and through the
/// cut-off member separately (no failover, so each side's view stays apart) and every member's
/// status is polled. Wall-clock times throughout, because etcd's log lines carry wall time and
/// give the raft state changes to the millisecond.
struct EtcdPartitionExperiment {
    enum Role: String, Codable { case leader, follower }

    var role: Role
    var partitionSeconds: Double
    /// Before the cut (to see that the probe works) and after the heal (to see what the heal does).
    var baselineSeconds = 1.0
    var observeSeconds = 5.0
    /// A write starts every interval on each probed member, without waiting for the previous one.
    var intervalSeconds = 0.05
    /// A write that has not answered by then counts as failed (it stalled). Long enough that a
    /// slow answer on a shared two-core machine is not an outage; attempts do not wait for each
    /// other, so it does not coarsen the measurement.
    var requestTimeoutSeconds = 2.0

    struct Attempt { let start: Double; let end: Double; let ok: Bool; let error: String? }
    struct StatusSample { let time: Double; let member: Int; let leader: String?; let term: Int }

    /// What one trial measured; seconds from the cut (majority side) or from the heal (after it).
    struct Trial: Codable {
        var role: Role
        var partitionSeconds: Double
        var cutMember: String
        var majorityMember: String
        var leaderBefore: String
        var termBefore: Int
        /// Majority member: from the start of the first write that failed or stalled to the end
        /// of the first later-started write that succeeded; 0 when none failed.
        var majorityUnavailableSeconds: Double
        var majorityFailedWrites: Int
        /// etcd's log: the first `became leader` after the cut (nil: no new leader, as expected for a follower).
        var newLeaderSeconds: Double?
        var newLeader: String?
        /// etcd's log: the cut-off leader's `stepped down to follower since quorum is not active` (CheckQuorum).
        var oldLeaderStepDownSeconds: Double?
        /// etcd's log: the cut-off member's `lost leader` (a follower that stops hearing the leader).
        var cutOffLostLeaderSeconds: Double?
        /// Writes through the cut-off member started between the cut (+ 0.1 s) and the heal, and
        /// how many of them succeeded before the heal (none can: nothing commits without the majority).
        var minorityWritesDuringPartition: Int
        var minoritySucceededDuringPartition: Int
        /// Writes started during the partition that hung and then succeeded after the heal, as
        /// [start, end] seconds from the cut. A follower without a leader holds proposals back
        /// (raft node.run reads propc only while there is a leader) instead of failing them, so
        /// writes still waiting when it learns the leader again go through, if the forwarded
        /// proposal reaches the leader before the client gives up (how soon the peer connections
        /// come back decides it: in some trials none does).
        var minorityStalledThenSucceeded: [[Double]]
        /// How the cut-off member's writes failed: error text (shortened) → count.
        var minorityErrors: [String: Int]
        /// From the heal to the end of the first successful write through the cut-off member
        /// (one that hung through the heal counts), and the same for writes started after the heal.
        var minorityRecoverySeconds: Double?
        var minorityRecoveryFreshSeconds: Double?
        /// `became leader` lines after the heal (any member): a heal that disrupts the cluster makes one.
        var leaderElectionsAfterHeal: Int
        /// `became candidate` lines after the heal (a real election, not a pre-vote).
        var candidatesAfterHeal: Int
        var termAtHeal: Int
        var termAtEnd: Int
        /// etcd's log: when the cut-off member learnt the leader after the heal (`elected leader`/`changed leader`).
        var allAgreeSeconds: Double?
        /// The same from the status polls: the first moment at which every member's latest
        /// status after the heal names the same leader at the same term.
        var allAgreeStatusSeconds: Double?
        var baselineFailures: Int
        /// How long `tools/etcd-netns cut` and `heal` took: the cut and the heal happened at most that long before the times used.
        var cutCommandSeconds: Double
        var healCommandSeconds: Double
        /// Every member's raft state changes from the cut to the end, [seconds from the cut, "mI: message"].
        var raftEvents: [[String]]
    }

    final class Recorder: @unchecked Sendable {
        let lock = NSLock()
        var attempts: [Int: [Attempt]] = [:]
        var statuses: [StatusSample] = []
        var stop = false
        func add(_ member: Int, _ a: Attempt) { lock.lock(); attempts[member, default: []].append(a); lock.unlock() }
        func add(_ s: StatusSample) { lock.lock(); statuses.append(s); lock.unlock() }
        var stopped: Bool { lock.lock(); defer { lock.unlock() }; return stop }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    func run(on cluster: EtcdNetnsCluster) throws -> Trial {
        let (leader, termBefore) = try cluster.waitForLeader()
        let followers = (0..<cluster.size).filter { $0 != leader }.shuffled()
        let cut = role == .leader ? leader : followers[0]
        // The majority side is probed through a follower in both cases: its writes are forwarded
        // to the leader over the peer network, so they see a leader loss as a client would.
        let majority = role == .leader ? followers[0] : followers[1]
        let name = { (i: Int) in "m\(i)" }

        let writer = cluster.client(requestTimeout: requestTimeoutSeconds)
        let poller = cluster.client(requestTimeout: 0.5)
        let rec = Recorder()
        // The writers and pollers stop however this trial ends (a failed cut or heal throws).
        defer { rec.lock.lock(); rec.stop = true; rec.lock.unlock() }
        let group = DispatchGroup()
        // Writers: one attempt per interval per probed member, each on its own thread.
        for member in [majority, cut] {
            group.enter()
            Thread.detachNewThread { [intervalSeconds] in
                var n = 0
                let t0 = Self.now()
                while !rec.stopped {
                    let k = n
                    group.enter()
                    Thread.detachNewThread {
                        let start = Self.now()
                        var err: String?
                        do { try writer.put(writer.endpoints[member], key: "k3sim/partition/m\(member)", value: "\(k)") } catch {
                            err = (error as? EtcdError)?.message ?? "\(error)"
                        }
                        rec.add(member, Attempt(start: start, end: Self.now(), ok: err == nil, error: err))
                        group.leave()
                    }
                    n += 1
                    let wait = t0 + Double(n) * intervalSeconds - Self.now()
                    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                }
                group.leave()
            }
        }
        // Status pollers: each member's own view of the leader and term.
        for member in 0..<cluster.size {
            group.enter()
            Thread.detachNewThread { [intervalSeconds] in
                while !rec.stopped {
                    let s = try? poller.status(poller.endpoints[member])
                    rec.add(StatusSample(time: Self.now(), member: member, leader: s.map(\.leader), term: s?.raftTerm ?? 0))
                    Thread.sleep(forTimeInterval: intervalSeconds)
                }
                group.leave()
            }
        }
        let begin = Self.now()
        Thread.sleep(forTimeInterval: baselineSeconds)
        // The link changes at the end of the script (after bash has started): the moment the
        // command returns is within a millisecond or two of it; how long the command took is kept.
        let cutCalled = Self.now()
        try cluster.cut(cut)
        let cutAt = Self.now()
        Thread.sleep(forTimeInterval: partitionSeconds)
        let healCalled = Self.now()
        try cluster.heal(cut)
        let healAt = Self.now()
        Thread.sleep(forTimeInterval: observeSeconds)
        rec.lock.lock(); rec.stop = true; rec.lock.unlock()
        group.wait()
        let end = Self.now()

        let log = cluster.raftLog(from: begin - 1, to: end + 1)
        func firstLog(after t: Double, member: Int? = nil, _ match: (String) -> Bool) -> EtcdNetnsCluster.LogLine? {
            log.first { $0.time >= t && (member == nil || $0.member == member) && match($0.message) }
        }

        // Majority side.
        let maj = (rec.attempts[majority] ?? []).sorted { $0.start < $1.start }
        var majorityWindow = 0.0
        if let firstFail = maj.first(where: { !$0.ok && $0.start >= cutAt - requestTimeoutSeconds && $0.start < healAt }) {
            let recovered = maj.filter { $0.ok && $0.start > firstFail.start }.map(\.end).min() ?? end
            majorityWindow = recovered - firstFail.start
        }
        let majorityFailed = maj.filter { !$0.ok && $0.start >= cutAt - requestTimeoutSeconds && $0.start < healAt }.count
        let baselineFailures = maj.filter { !$0.ok && $0.start < cutAt - requestTimeoutSeconds }.count
            + (rec.attempts[cut] ?? []).filter { !$0.ok && $0.start < cutAt - requestTimeoutSeconds }.count
        let elected = firstLog(after: cutAt) { $0.contains(" became leader at term ") }
        let stepDown = role == .leader ? firstLog(after: cutAt, member: cut) { $0.contains("stepped down to follower since quorum is not active") } : nil
        let lost = firstLog(after: cutAt, member: cut) { $0.contains(" lost leader ") }

        // Cut-off side.
        let minority = (rec.attempts[cut] ?? []).sorted { $0.start < $1.start }
        let during = minority.filter { $0.start >= cutAt + 0.1 && $0.start < healAt }
        var errors: [String: Int] = [:]
        for a in during where !a.ok { errors[Self.shorten(a.error ?? ""), default: 0] += 1 }
        let recovery = minority.filter { $0.ok && $0.end >= healAt }.map(\.end).min().map { $0 - healAt }
        let recoveryFresh = minority.filter { $0.ok && $0.start >= healAt }.map(\.end).min().map { $0 - healAt }

        // After the heal.
        let electionsAfterHeal = log.filter { $0.time >= healAt && $0.message.contains(" became leader at term ") }.count
        let candidatesAfterHeal = log.filter { $0.time >= healAt && $0.message.contains(" became candidate at term ") }.count
        let statuses = rec.statuses.sorted { $0.time < $1.time }
        let termAtHeal = statuses.filter { $0.time < healAt }.map(\.term).max() ?? 0
        let termAtEnd = statuses.map(\.term).max() ?? 0
        let learnt = firstLog(after: healAt, member: cut) { $0.contains(" elected leader ") || $0.contains(" changed leader ") }
        var latest: [Int: StatusSample] = [:]
        var agreeStatus: Double?
        for s in statuses where s.time >= healAt {
            latest[s.member] = s
            if latest.count == cluster.size, let l = latest.values.first?.leader, l != "0",
               latest.values.allSatisfy({ $0.leader == l && $0.term == latest.values.first!.term }) {
                agreeStatus = s.time - healAt
                break
            }
        }
        return Trial(role: role, partitionSeconds: partitionSeconds, cutMember: name(cut), majorityMember: name(majority),
                     leaderBefore: name(leader), termBefore: termBefore,
                     majorityUnavailableSeconds: majorityWindow, majorityFailedWrites: majorityFailed,
                     newLeaderSeconds: elected.map { $0.time - cutAt }, newLeader: elected.map { name($0.member) },
                     oldLeaderStepDownSeconds: stepDown.map { $0.time - cutAt },
                     cutOffLostLeaderSeconds: lost.map { $0.time - cutAt },
                     minorityWritesDuringPartition: during.count,
                     minoritySucceededDuringPartition: during.filter { $0.ok && $0.end < healAt }.count,
                     minorityStalledThenSucceeded: during.filter { $0.ok && $0.end >= healAt }.map { [$0.start - cutAt, $0.end - cutAt] },
                     minorityErrors: errors, minorityRecoverySeconds: recovery, minorityRecoveryFreshSeconds: recoveryFresh,
                     leaderElectionsAfterHeal: electionsAfterHeal, candidatesAfterHeal: candidatesAfterHeal,
                     termAtHeal: termAtHeal, termAtEnd: termAtEnd,
                     allAgreeSeconds: learnt.map { $0.time - healAt }, allAgreeStatusSeconds: agreeStatus,
                     baselineFailures: baselineFailures,
                     cutCommandSeconds: cutAt - cutCalled, healCommandSeconds: healAt - healCalled,
                     raftEvents: log.filter { $0.time >= cutAt && Self.isStateChange($0.message) }.map {
                         [String(format: "%.3f", $0.time - cutAt), "\(name($0.member)): \($0.message)"]
                     })
    }

    /// The lines that say who leads and who campaigns (not the vote-by-vote chatter).
    static func isStateChange(_ m: String) -> Bool {
        [" became ", " elected leader ", " changed leader ", " lost leader ", "stepped down", "ignored Msg"].contains { m.contains($0) }
    }

    /// Error texts without the endpoint and numbers, to count kinds of failure.
    static func shorten(_ s: String) -> String {
        let t = s.replacingOccurrences(of: #"[0-9]+"#, with: "N", options: .regularExpression)
        return String(t.prefix(80))
    }
}

import Foundation

/// One partition trial on an `EtcdNetnsCluster`: the leader (or a follower) is cut off from raft for a while and healed.
///
/// Meanwhile writes go through a majority member and through the cut-off member separately (no
/// failover, so each side's view stays apart) and every member's status is polled. Wall-clock times
/// throughout, because etcd's log lines carry wall time and give the raft state changes to the
/// millisecond.
public struct EtcdPartitionExperiment: Sendable {
    public enum Role: String, Codable, Sendable, CaseIterable { case leader, follower }

    public var role: Role
    public var partitionSeconds: Double
    /// Before the cut (to see that the probe works) and after the heal (to see what the heal does).
    public var baselineSeconds = 1.0
    public var observeSeconds = 5.0
    /// A write starts every interval on each probed member, without waiting for the previous one.
    public var intervalSeconds = 0.05
    /// How long a write may take before it counts as failed (it stalled).
    ///
    /// Long enough that a slow answer on a shared two-core machine is not an outage; attempts do
    /// not wait for each other, so it does not coarsen the measurement.
    public var requestTimeoutSeconds = 2.0

    public init(role: Role, partitionSeconds: Double) { self.role = role; self.partitionSeconds = partitionSeconds }

    struct Attempt { let start: Double; let end: Double; let ok: Bool; let error: String? }
    struct StatusSample { let time: Double; let member: Int; let leader: String?; let term: Int }

    /// What one trial measured; seconds from the cut (majority side) or from the heal (after it).
    public struct Trial: Codable, Sendable, Equatable {
        public var role: Role
        public var partitionSeconds: Double
        public var cutMember: String
        public var majorityMember: String
        public var leaderBefore: String
        public var termBefore: Int
        /// Majority member: from the start of the first write that failed or stalled to the end
        /// of the first later-started write that succeeded; 0 when none failed.
        public var majorityUnavailableSeconds: Double
        /// That first failed write's start, seconds from the cut (it may have started just before the cut and stalled).
        public var majorityUnavailableStartSeconds: Double?
        public var majorityFailedWrites: Int
        /// etcd's log: the first `became leader` after the cut (nil: no new leader, as expected for a follower).
        public var newLeaderSeconds: Double?
        public var newLeader: String?
        /// etcd's log: the cut-off leader's `stepped down to follower since quorum is not active` (CheckQuorum).
        public var oldLeaderStepDownSeconds: Double?
        /// etcd's log: the cut-off member's `lost leader` (a follower that stops hearing the leader).
        public var cutOffLostLeaderSeconds: Double?
        /// Writes through the cut-off member started between the cut (+ 0.1 s) and the heal, and
        /// how many of them succeeded before the heal (none can: nothing commits without the majority).
        public var minorityWritesDuringPartition: Int
        public var minoritySucceededDuringPartition: Int
        /// Seconds from the cut to the heal (the partition plus the cut command's run time).
        public var healSeconds: Double?
        /// Writes started during the partition that hung and then succeeded after the heal.
        ///
        /// Each is [start, end] seconds from the cut. A follower without a leader holds proposals
        /// back (raft node.run reads propc only while there is a leader) instead of failing them,
        /// so writes still waiting when it learns the leader again go through, if the forwarded
        /// proposal reaches the leader before the client gives up (how soon the peer connections
        /// come back decides it: in some trials none does).
        public var minorityStalledThenSucceeded: [[Double]]
        /// How the cut-off member's writes failed: error text (shortened) → count.
        public var minorityErrors: [String: Int]
        /// From the heal to the end of the first successful write through the cut-off member
        /// (one that hung through the heal counts), and the same for writes started after the heal.
        public var minorityRecoverySeconds: Double?
        public var minorityRecoveryFreshSeconds: Double?
        /// `became leader` lines after the heal (any member): a heal that disrupts the cluster makes one.
        public var leaderElectionsAfterHeal: Int
        /// `became candidate` lines after the heal (a real election, not a pre-vote).
        public var candidatesAfterHeal: Int
        public var termAtHeal: Int
        public var termAtEnd: Int
        /// etcd's log: when the cut-off member learnt the leader after the heal (`elected leader`/`changed leader`).
        public var allAgreeSeconds: Double?
        /// The same from the status polls: the first moment at which every member's latest
        /// status after the heal names the same leader at the same term.
        public var allAgreeStatusSeconds: Double?
        public var baselineFailures: Int
        /// How long `tools/etcd-netns cut` and `heal` took: the cut and the heal happened at most that long before the times used.
        public var cutCommandSeconds: Double
        public var healCommandSeconds: Double
        /// Every member's raft state changes from the cut to the end, [seconds from the cut, "mI: message"].
        public var raftEvents: [[String]]
    }

    final class Recorder: @unchecked Sendable {
        let lock = NSLock()
        var attempts: [Int: [Attempt]] = [:]
        var statuses: [StatusSample] = []
        var stop = false
        func add(_ member: Int, _ a: Attempt) { lock.lock(); attempts[member, default: []].append(a); lock.unlock() }
        func add(_ s: StatusSample) { lock.lock(); statuses.append(s); lock.unlock() }
        var stopped: Bool { lock.lock(); defer { lock.unlock() }; return stop }
        func halt() { lock.lock(); stop = true; lock.unlock() }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    /// Who is cut off and who is probed, and when the cut and heal took effect (wall clock).
    struct Timeline {
        var leader: Int, termBefore: Int, cut: Int, majority: Int
        var begin = 0.0, cutCalled = 0.0, cutAt = 0.0, healCalled = 0.0, healAt = 0.0, end = 0.0
    }

    /// One trial; a cancellation (Ctrl-C) stops it at the next step, heals the member if it was
    /// cut and throws.
    public func run(on cluster: EtcdNetnsCluster, cancellation: Cancellation? = nil) throws -> Trial {
        let (leader, termBefore) = try cluster.waitForLeader(cancellation: cancellation)
        let followers = (0..<cluster.size).filter { $0 != leader }.shuffled()
        // The majority side is probed through a follower in both cases: its writes are forwarded
        // to the leader over the peer network, so they see a leader loss as a client would.
        var t = Timeline(
            leader: leader, termBefore: termBefore, cut: role == .leader ? leader : followers[0],
            majority: role == .leader ? followers[0] : followers[1])
        let rec = Recorder()
        // The writers and pollers stop however this trial ends (a failed cut or heal throws).
        defer { rec.halt() }
        let group = startProbes(cluster, members: [t.majority, t.cut], rec: rec)
        func pause(_ seconds: Double) {
            if let cancellation { cancellation.sleep(seconds) } else { Thread.sleep(forTimeInterval: seconds) }
        }
        t.begin = Self.now()
        pause(baselineSeconds)
        if let why = cancellation?.reason { throw EtcdPartitionError("stopped before the cut: \(why)") }
        // The link changes at the end of the command: the moment it returns is within a
        // millisecond or two of it; how long the command took is kept.
        t.cutCalled = Self.now()
        try cluster.cut(t.cut)
        t.cutAt = Self.now()
        pause(partitionSeconds)
        t.healCalled = Self.now()
        try cluster.heal(t.cut)
        t.healAt = Self.now()
        if let why = cancellation?.reason { throw EtcdPartitionError("stopped during the partition (healed): \(why)") }
        pause(observeSeconds)
        rec.halt()
        group.wait()
        t.end = Self.now()
        if let why = cancellation?.reason { throw EtcdPartitionError("stopped after the heal: \(why)") }
        return analyse(t, rec: rec, log: cluster.raftLog(from: t.begin - 1, to: t.end + 1), size: cluster.size)
    }

    /// Writers (one attempt per interval per probed member, each on its own thread, not waiting
    /// for the previous one) and status pollers (each member's own view of leader and term).
    func startProbes(_ cluster: EtcdNetnsCluster, members: [Int], rec: Recorder) -> DispatchGroup {
        let writer = cluster.client(requestTimeout: requestTimeoutSeconds)
        let poller = cluster.client(requestTimeout: 0.5)
        let group = DispatchGroup()
        for member in members {
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
        return group
    }

    /// The lines that say who leads and who campaigns (not the vote-by-vote chatter).
    static func isStateChange(_ m: String) -> Bool {
        [" became ", " elected leader ", " changed leader ", " lost leader ", "stepped down", "ignored Msg"].contains {
            m.contains($0)
        }
    }

    /// Error texts without the endpoint and numbers, to count kinds of failure.
    static func shorten(_ s: String) -> String {
        let t = s.replacingOccurrences(of: #"[0-9]+"#, with: "N", options: .regularExpression)
        return String(t.prefix(80))
    }
}

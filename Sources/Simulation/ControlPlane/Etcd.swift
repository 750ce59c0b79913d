import SimKernel

/// Raft as etcd runs it (etcd-io/raft), for leader availability: heartbeats every
/// `heartbeatInterval`; a follower that misses them campaigns after a randomized election
/// timeout, uniform in [ET, 2·ET − 1] ticks; pre-vote (no term inflation) and CheckQuorum
/// (a member that still hears a leader refuses, and a leader that loses its majority steps
/// down after an election timeout); a candidate needs a majority of all members; two
/// candidates within one round trip split the vote and both draw new timeouts.
struct EtcdState {
    struct Member {
        let node: Int
        /// Pending election timer (valid while `timerEpoch` matches) and when it fires.
        var timerEpoch = 0
        var timerAt: SimTime?
    }
    var members: [Member] = []
    var leader: Int?
    var term = 0
    /// When the leader started sending heartbeats (the heartbeat grid).
    var leaderSince: SimTime = .zero
    /// Bumped on every change of who is up or reachable; invalidates pending elections.
    var epoch = 0
    var leaderChanges = 0
    var noLeaderSince: SimTime?
    var writeUnavailableSeconds = 0.0
    /// No group of members that can talk to each other holds a majority.
    var quorumLost = false
    /// A leader cut off from the majority by a partition, while the majority has elected no
    /// one: it still believes it leads until its CheckQuorum step-down (`checkQuorumDue`). If
    /// the partition heals before then, it simply leads on (with pre-vote nobody raised the
    /// term meanwhile).
    var isolatedLeader: Int?
    /// Cut-off leaders' CheckQuorum step-downs still to come (member → when). They outlive
    /// `isolatedLeader`: the majority electing a new leader does not reach the cut-off member.
    var checkQuorumDue: [Int: SimTime] = [:]
    /// The faults that cost the leader or the quorum: the milestones of the recovery
    /// (leaderElected, leaderRestored, quorumRestored) belong to them.
    var lossCauses: [Int] = []
    /// A leadership transfer is under way (the leader's K3S stopped gracefully).
    var transferring = false
    /// Members back from the far side of a healed partition, until they hear the leader
    /// again (member → when): see EtcdRejoin.swift. Empty almost always, so the
    /// reachability checks run after every event only look it up when it is not.
    var rejoining: [Int: SimTime] = [:]
    /// Faults whose heal each rejoining member's milestone belongs to.
    var rejoinCauses: [Int: [Int]] = [:]
    /// Members that led while cut off from the majority and took proposals that never
    /// committed: the next leader must repair their log before their writes go through.
    var divergentLog: Set<Int> = []
}

extension ClusterSimulation {
    var etcdQuorum: Int { etcd.members.count / 2 + 1 }

    /// The embedded datastore by name, for the timelines.
    var raftStoreName: String { spec.controlPlane.embeddedRaft == .dqlite ? "dqlite" : "etcd" }

    /// How a follower came to campaign, for the leaderElected milestone.
    var electionTimerText: String {
        let cp = spec.controlPlane
        switch cp.embeddedRaft {
        case .etcd:
            return "after a randomized election timeout of \(cp.electionTimeout)–\(cp.electionTimeout * 2 - cp.heartbeatInterval) (heartbeat \(cp.heartbeatInterval)) and a pre-vote and vote round"
        case .dqlite:
            return "after a randomized election timeout of \(cp.electionTimeout)–\(cp.electionTimeout * 2), checked on its raft ticks every heartbeat_timeout \(cp.heartbeatInterval), and a pre-vote and vote round"
        }
    }

    /// Randomized election timeout: (ET + U{0..ET−1}) ticks of `heartbeatInterval`.
    func randomizedElectionTimeout(member m: Int) -> SimTime {
        let cp = spec.controlPlane
        let ticks = max(1, cp.electionTimeout.microseconds / max(1, cp.heartbeatInterval.microseconds))
        var rng = randomStreams["etcd\u{0}\(m)"] ?? streams.stream("etcd/member-\(m)", "election-timeout")
        let extra = Int64(rng.next() % UInt64(ticks))
        randomStreams["etcd\u{0}\(m)"] = rng
        return cp.heartbeatInterval * (ticks + extra)
    }

    /// The member's process runs: its machine is up and K3S is not restarting.
    func memberUp(_ m: Int) -> Bool { k3sRunning(etcd.members[m].node) }

    /// Members that `m` can talk to (itself included): up and on its side of any partition.
    func reachableMembers(from m: Int) -> [Int] {
        let members = etcd.members
        return members.indices.filter {
            memberUp($0) && sameSide(members[$0].node, members[m].node) && peersConnected($0, m)
        }
    }

    /// How many members `m` can talk to, without building the list (API writability is
    /// checked after every event).
    func reachableMemberCount(from m: Int) -> Int {
        let members = etcd.members
        var count = 0
        let rejoining = !etcd.rejoining.isEmpty
        for i in members.indices where memberUp(i) && sameSide(members[i].node, members[m].node) {
            if !rejoining || peersConnected(i, m) { count += 1 }
        }
        return count
    }

    func startEtcd() {
        guard spec.controlPlane.datastore == .embeddedEtcd else { return }
        etcd.members = spec.controlPlane.servers.compactMap { nodeIndex[$0] }.map { EtcdState.Member(node: $0) }
        guard !etcd.members.isEmpty else { return }
        // The cluster starts with a leader (the first member to have bootstrapped).
        var rng = streams.stream("etcd", "initial-leader")
        etcd.leader = Int(rng.next() % UInt64(etcd.members.count))
        etcd.term = 2
        etcd.leaderSince = .zero - SimTime(microseconds: Int64(rng.nextUnit() * 3_600_000_000))
        recordControlPlane()
    }

    /// Something changed (a server crashed or came back, a partition started or healed):
    /// re-evaluate whether the leader still leads and arm the followers' timers.
    func etcdMembershipChanged() {
        guard !etcd.members.isEmpty else { return }
        // Before the leader may go: the followers' election timers run from its last heartbeat.
        let heartbeat = lastHeartbeat()
        etcd.epoch += 1
        etcd.transferring = false
        if let l = etcd.leader {
            let node = etcd.members[l].node
            if !memberUp(l) {
                etcdLeaderLost(reason: "the leader's server stopped", causes: faultsCausing(nodes: [node]))
            } else if reachableMemberCount(from: l) < etcdQuorum {
                if etcdMajority() != nil {
                    // The majority does not wait for the old leader to step down: its members
                    // stop hearing heartbeats, campaign after their randomized timeout and,
                    // having heard no leader for an election timeout themselves, grant each
                    // other's pre-votes (etcd-io/raft raft.go `Step`, the in-lease check).
                    let stepDown = checkQuorumStepDown()
                    etcd.isolatedLeader = l
                    etcd.divergentLog.insert(l)
                    etcd.checkQuorumDue[l] = stepDown
                    engine.schedule(.etcd(.isolatedLeaderStepDown(member: l)), at: stepDown)
                    etcdLeaderLost(
                        reason:
                            "a partition cut it off from the majority, so it cannot commit; the majority elects a new leader after its randomized election timeout",
                        causes: faultsCausing(nodes: [node]))
                } else {
                    // CheckQuorum: the leader notices at its second quorum check and steps down.
                    engine.schedule(.etcd(.leaderStepDown(epoch: etcd.epoch)), at: checkQuorumStepDown())
                }
            }
        } else if let isolated = etcd.isolatedLeader, let until = etcd.checkQuorumDue[isolated], now < until,
            memberUp(isolated), reachableMemberCount(from: isolated) >= etcdQuorum
        {
            etcdLeaderRestored(isolated)
        }
        if let isolated = etcd.isolatedLeader,
            etcd.checkQuorumDue[isolated].map({ now >= $0 }) ?? true || !memberUp(isolated)
        {
            etcd.isolatedLeader = nil
        }
        armElectionTimers(lastHeartbeat: heartbeat)
        recordControlPlane()
    }

    /// The member a leader that stops gracefully hands its leadership to: etcd's `Stop`
    /// transfers leadership first (server/etcdserver/server.go `TransferLeadership`, to the
    /// follower with the longest log; here every follower is caught up, so the first
    /// reachable one). None when the rest cannot form a quorum.
    func leadershipTransferee(from m: Int) -> Int? {
        let others = reachableMembers(from: m).filter { $0 != m }
        return others.count >= etcdQuorum ? others.first : nil
    }

    /// The leader stops gracefully: the transferee gets MsgTimeoutNow and campaigns at once
    /// (no election timeout, no pre-vote) and wins after a vote round trip; proposals wait
    /// meanwhile, so writes pause for about two round trips instead of an election timeout.
    func transferLeadership(from m: Int, to t: Int, why: String = "K3S restart") {
        let node = etcd.members[m].node
        etcd.leader = nil
        etcd.noLeaderSince = now
        etcd.lossCauses = faultsCausing(nodes: [node])
        etcd.epoch += 1
        etcd.transferring = true
        clearElectionTimers()
        noteAPIAvailability()
        faultsObserveControlPlane(
            .leaderTransfer,
            "the \(raftStoreName) leader on \(nodes[node].name) stops gracefully (\(why)) and hands its leadership to the member on \(nodes[etcd.members[t].node].name)",
            causes: etcd.lossCauses)
        engine.schedule(.etcd(.leaderElected(member: t, epoch: etcd.epoch)), after: spec.controlPlane.memberRoundTrip * 2)
        controlPlaneAvailabilityChanged()
        recordControlPlane()
    }

    /// Member `m` leads (elected, or leading on after a short partition): nobody campaigns,
    /// and the time without a writable leader ends.
    func installLeader(_ m: Int) {
        etcd.leader = m
        etcd.isolatedLeader = nil
        etcd.divergentLog.remove(m)
        clearElectionTimers()
        if let since = etcd.noLeaderSince { etcd.writeUnavailableSeconds += (now - since).seconds }
        etcd.noLeaderSince = nil
    }

    func clearElectionTimers() {
        for i in etcd.members.indices { etcd.members[i].timerEpoch = 0; etcd.members[i].timerAt = nil }
    }

    /// A member whose reachable group holds a majority, if any.
    func etcdMajority() -> Int? {
        etcd.members.indices.first { memberUp($0) && reachableMemberCount(from: $0) >= etcdQuorum }
    }

    /// The partition healed before the majority elected anyone: the old leader's heartbeats
    /// reach the followers again and it leads on in the same term.
    func etcdLeaderRestored(_ m: Int) {
        installLeader(m)
        faultsObserveControlPlane(
            .leaderRestored,
            "\(raftStoreName) member on \(nodes[etcd.members[m].node].name) leads again in term \(etcd.term): the partition healed before the majority's election timeout, and pre-vote kept the term",
            causes: etcd.lossCauses)
        controlPlaneAvailabilityChanged()
    }

    /// When a leader cut off from its followers now steps down (etcd-io/raft raft.go
    /// `tickHeartbeat`: every election timeout since it became leader it sends itself
    /// MsgCheckQuorum, and `stepLeader` steps down unless a quorum was recently active, then
    /// clears the recent-activity marks). The first check after the cut still counts the
    /// followers' answers from before it; the second finds none: between one and two election
    /// timeouts after the cut.
    func checkQuorumStepDown() -> SimTime {
        let et = spec.controlPlane.electionTimeout
        return TickGrid(start: etcd.leaderSince, period: et).next(atOrAfter: now + SimTime(microseconds: 1)) + et
    }

    /// The isolated leader's CheckQuorum fires while the partition lasts: it becomes a
    /// follower, and its own clients' writes now fail at once instead of waiting.
    func etcdIsolatedLeaderStepDown(member m: Int) {
        guard etcd.checkQuorumDue[m] == now else { return }
        etcd.checkQuorumDue[m] = nil
        // Healed first: it hears the majority again (and follows a newer leader, or leads on).
        guard memberUp(m), reachableMemberCount(from: m) < etcdQuorum else { return }
        faultsObserveControlPlane(
            .leaderSteppedDown,
            "the cut-off \(raftStoreName) member on \(nodes[etcd.members[m].node].name) steps down to follower: CheckQuorum found no majority active since its previous check (checks every election timeout \(spec.controlPlane.electionTimeout))",
            causes: etcd.lossCauses)
    }

    /// The last heartbeat the followers received: the leader's heartbeat grid before now.
    func lastHeartbeat() -> SimTime {
        guard etcd.leader != nil else { return now }
        let h = spec.controlPlane.heartbeatInterval
        return TickGrid(start: etcd.leaderSince, period: h).next(atOrAfter: now + SimTime(microseconds: 1)) - h
    }

    func etcdLeaderLost(reason: String, causes: [Int]) {
        guard let l = etcd.leader else { return }
        etcd.leader = nil
        etcd.noLeaderSince = now
        etcd.lossCauses = causes
        noteAPIAvailability()
        faultsObserveControlPlane(
            .leaderLost,
            "\(raftStoreName) member on \(nodes[etcd.members[l].node].name) no longer leads: \(reason); writes fail until a new leader is elected",
            causes: causes)
        controlPlaneAvailabilityChanged()
    }

    func etcdLeaderStepDown(epoch: Int) {
        guard epoch == etcd.epoch, let l = etcd.leader, reachableMemberCount(from: l) < etcdQuorum else { return }
        let cutOff = etcd.members.indices.filter { !reachableMembers(from: l).contains($0) }.map { etcd.members[$0].node }
        etcdLeaderLost(
            reason: "CheckQuorum: no contact with a majority for election-timeout \(spec.controlPlane.electionTimeout)",
            causes: faultsCausing(nodes: cutOff + [etcd.members[l].node]))
        armElectionTimers(lastHeartbeat: now)
    }

    /// Followers that no longer hear a leader campaign after their randomized timeout. A
    /// timer already running keeps its time: a follower's election clock counts from the
    /// last message of a leader, and another member crashing or returning does not reset it.
    func armElectionTimers(lastHeartbeat: SimTime) {
        for m in etcd.members.indices where memberUp(m) && !hearsLeader(m) {
            if let pending = etcd.members[m].timerAt, pending >= now {
                rearm(m, at: pending)
            } else {
                rearm(m, at: max(now, electionTimerExpiry(member: m, from: lastHeartbeat)))
            }
        }
    }

    func hearsLeader(_ m: Int) -> Bool {
        guard let l = etcd.leader, memberUp(l) else { return false }
        return sameSide(etcd.members[l].node, etcd.members[m].node) && peersConnected(l, m)
    }

    func etcdElectionTimeout(member m: Int, epoch: Int) {
        guard epoch == etcd.epoch, etcd.members[m].timerEpoch == epoch, memberUp(m), !hearsLeader(m) else { return }
        let voters = reachableMembers(from: m).filter { !hearsLeader($0) }
        guard voters.count >= etcdQuorum else {
            // Pre-vote fails without a majority: try again after a new timeout. The quorum is
            // lost only when no group of members has one; a member cut off from a majority
            // that still has a leader just keeps failing.
            if !etcd.quorumLost, etcdMajority() == nil {
                etcd.quorumLost = true
                let reachable = reachableMembers(from: m)
                let missing = etcd.members.indices.filter { !reachable.contains($0) }.map { etcd.members[$0].node }
                let causes = faultsCausing(nodes: missing)
                if !causes.isEmpty { etcd.lossCauses = causes }
                faultsObserveControlPlane(
                    .quorumLost,
                    "\(raftStoreName): \(reachable.count) of \(etcd.members.count) members reachable, quorum is \(etcdQuorum): no leader can be elected, the API server cannot write",
                    causes: etcd.lossCauses)
            }
            rearm(m, at: electionTimerExpiry(member: m, from: now))
            return
        }
        let rtt = spec.controlPlane.memberRoundTrip
        // Another voter whose own timer fires before our vote request reaches it campaigns
        // too: the vote splits and both draw new timeouts.
        let rival = pendingRival(of: m, among: voters, within: rtt)
        if rival {
            rearm(m, at: electionTimerExpiry(member: m, from: now))
            return
        }
        etcd.members[m].timerEpoch = -1
        etcd.members[m].timerAt = nil
        // Pre-vote round trip, then the vote round trip (with its fsync).
        engine.schedule(.etcd(.leaderElected(member: m, epoch: epoch)), after: rtt * 2)
    }

    /// Whether another voter's election timer fires within `window` from now.
    func pendingRival(of m: Int, among voters: [Int], within window: SimTime) -> Bool {
        for v in voters where v != m && etcd.members[v].timerEpoch == etcd.epoch {
            if let t = etcd.members[v].timerAt, t >= now, t <= now + window { return true }
        }
        return false
    }

    func rearm(_ m: Int, at t: SimTime) {
        etcd.members[m].timerEpoch = etcd.epoch
        etcd.members[m].timerAt = t
        engine.schedule(.etcd(.electionTimeout(member: m, epoch: etcd.epoch)), at: t)
    }

    func etcdLeaderElected(member m: Int, epoch: Int) {
        guard epoch == etcd.epoch, memberUp(m), etcd.leader == nil,
            reachableMemberCount(from: m) >= etcdQuorum
        else { return }
        installLeader(m)
        etcd.term += 1
        etcd.leaderSince = now
        etcd.leaderChanges += 1
        if etcd.quorumLost {
            etcd.quorumLost = false
            faultsObserveControlPlane(.quorumRestored, "a majority of \(raftStoreName) members reachable again", causes: etcd.lossCauses)
        }
        let how = etcd.transferring ? "by leadership transfer (MsgTimeoutNow and one vote round)" : electionTimerText
        etcd.transferring = false
        faultsObserveControlPlane(
            .leaderElected, "\(raftStoreName) member on \(nodes[etcd.members[m].node].name) elected (term \(etcd.term)) \(how)",
            causes: etcd.lossCauses)
        controlPlaneAvailabilityChanged()
        recordControlPlane()
    }
}

extension ClusterSimulation {
    func handle(_ event: EtcdEvent) {
        switch event {
        case .electionTimeout(let m, let epoch): etcdElectionTimeout(member: m, epoch: epoch)
        case .leaderElected(let m, let epoch): etcdLeaderElected(member: m, epoch: epoch)
        case .leaderStepDown(let epoch): etcdLeaderStepDown(epoch: epoch)
        case .isolatedLeaderStepDown(let m): etcdIsolatedLeaderStepDown(member: m)
        case .memberRejoined(let m): etcdMemberRejoined(member: m)
        }
    }
}

import SimKernel

/// Raft as etcd runs it (etcd-io/raft), for leader availability: heartbeats every
/// `heartbeatInterval`; a follower that misses them campaigns after a randomized election
/// timeout, uniform in [ET, 2·ET − 1] ticks; pre-vote (no term inflation) and CheckQuorum
/// (a member that still hears a leader refuses, and a leader that loses its majority steps
/// down after an election timeout); a candidate needs a majority of all members; two
/// candidates within one round trip split the vote and both draw new timeouts.
final class EtcdRaft {
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
    /// A leader cut off from the majority by a partition, while the majority has elected no one: it
    /// still believes it leads until its CheckQuorum step-down (`checkQuorumDue`).
    ///
    /// If the partition heals before then, it simply leads on (with pre-vote nobody raised the term
    /// meanwhile).
    var isolatedLeader: Int?
    /// Cut-off leaders' CheckQuorum step-downs still to come (member → when).
    ///
    /// They outlive `isolatedLeader`: the majority electing a new leader does not reach the cut-off
    /// member.
    var checkQuorumDue: [Int: SimTime] = [:]
    /// The faults that cost the leader or the quorum: the milestones of the recovery
    /// (leaderElected, leaderRestored, quorumRestored) belong to them.
    var lossCauses: [FaultID] = []
    /// A leadership transfer is under way (the leader's K3S stopped gracefully).
    var transferring = false
    /// A member back from the far side of a healed partition: when it hears the leader again,
    /// and the faults whose heal its milestone belongs to (see EtcdRejoin.swift).
    struct Rejoin {
        let at: SimTime
        let causes: [FaultID]
    }
    /// Members still rejoining.
    ///
    /// Empty almost always, so the reachability checks run after every event only look it up when
    /// it is not.
    var rejoining: [Int: Rejoin] = [:]
    /// Members that led while cut off from the majority and took proposals that never
    /// committed: the next leader must repair their log before their writes go through.
    var divergentLog: Set<Int> = []
}

extension EtcdRaft {
    var quorum: Int { self.members.count / 2 + 1 }

    /// The embedded datastore by name, for the timelines.
    func raftStoreName(in ctx: EtcdContext) -> String { ctx.controlPlaneSpec.embeddedRaft == .dqlite ? "dqlite" : "etcd" }

    /// How a follower came to campaign, for the leaderElected milestone.
    func electionTimerText(in ctx: EtcdContext) -> String {
        let cp = ctx.controlPlaneSpec
        switch cp.embeddedRaft {
        case .etcd:
            return
                "after a randomized election timeout of \(cp.electionTimeout)–\(cp.electionTimeout * 2 - cp.heartbeatInterval) (heartbeat \(cp.heartbeatInterval)) and a pre-vote and vote round"
        case .dqlite:
            return
                "after a randomized election timeout of \(cp.electionTimeout)–\(cp.electionTimeout * 2), checked on its raft ticks every heartbeat_timeout \(cp.heartbeatInterval), and a pre-vote and vote round"
        }
    }

    /// Randomized election timeout: (ET + U{0..ET−1}) ticks of `heartbeatInterval`.
    func randomizedElectionTimeout(member m: Int, in ctx: EtcdContext) -> SimTime {
        let cp = ctx.controlPlaneSpec
        let ticks = max(1, cp.electionTimeout.microseconds / max(1, cp.heartbeatInterval.microseconds))
        let extra = ctx.drawInSequence("etcd/member-\(m)", "election-timeout") { Int64($0.next() % UInt64(ticks)) }
        return cp.heartbeatInterval * (ticks + extra)
    }

    /// The member's process runs: its machine is up and K3S is not restarting.
    func memberUp(_ m: Int, in ctx: EtcdContext) -> Bool { ctx.k3sRunning(self.members[m].node) }

    /// Members that `m` can talk to (itself included): up and on its side of any partition.
    func reachableMembers(from m: Int, in ctx: EtcdContext) -> [Int] {
        let members = self.members
        return members.indices.filter {
            memberUp($0, in: ctx) && ctx.sameSide(members[$0].node, members[m].node) && peersConnected($0, m)
        }
    }

    /// How many members `m` can talk to, without building the list (API writability is
    /// checked after every event).
    func reachableMemberCount(from m: Int, in ctx: EtcdContext) -> Int {
        let members = self.members
        var count = 0
        let rejoining = !self.rejoining.isEmpty
        for i in members.indices where memberUp(i, in: ctx) && ctx.sameSide(members[i].node, members[m].node) {
            if !rejoining || peersConnected(i, m) { count += 1 }
        }
        return count
    }

    func start(in ctx: EtcdContext) {
        guard ctx.controlPlaneSpec.datastore == .embeddedEtcd else { return }
        self.members = ctx.controlPlaneSpec.servers.compactMap { ctx.nodeIndex(named: $0) }.map { Member(node: $0) }
        guard !self.members.isEmpty else { return }
        // The cluster starts with a leader (the first member to have bootstrapped).
        var rng = ctx.freshStream("etcd", "initial-leader")
        self.leader = Int(rng.next() % UInt64(self.members.count))
        self.term = 2
        self.leaderSince = .zero - SimTime(microseconds: Int64(rng.nextUnit() * 3_600_000_000))
        ctx.recordControlPlane()
    }

    /// Something changed (a server crashed or came back, a partition started or healed):
    /// re-evaluate whether the leader still leads and arm the followers' timers.
    func membershipChanged(in ctx: EtcdContext) {
        guard !self.members.isEmpty else { return }
        // Before the leader may go: the followers' election timers run from its last heartbeat.
        let heartbeat = lastHeartbeat(in: ctx)
        self.epoch += 1
        self.transferring = false
        if let l = self.leader {
            let node = self.members[l].node
            if !memberUp(l, in: ctx) {
                leaderLost(reason: "the leader's server stopped", causes: ctx.faultsCausing(nodes: [node]), in: ctx)
            } else if reachableMemberCount(from: l, in: ctx) < quorum {
                if majorityMember(in: ctx) != nil {
                    // The majority does not wait for the old leader to step down: its members
                    // stop hearing heartbeats, campaign after their randomized timeout and,
                    // having heard no leader for an election timeout themselves, grant each
                    // other's pre-votes (etcd-io/raft raft.go `Step`, the in-lease check).
                    let stepDown = checkQuorumStepDown(in: ctx)
                    self.isolatedLeader = l
                    self.divergentLog.insert(l)
                    self.checkQuorumDue[l] = stepDown
                    ctx.schedule(.isolatedLeaderStepDown(member: l), at: stepDown)
                    leaderLost(
                        reason:
                            "a partition cut it off from the majority, so it cannot commit; the majority elects a new leader after its randomized election timeout",
                        causes: ctx.faultsCausing(nodes: [node]), in: ctx)
                } else {
                    // CheckQuorum: the leader notices at its second quorum check and steps down.
                    ctx.schedule(.leaderStepDown(epoch: self.epoch), at: checkQuorumStepDown(in: ctx))
                }
            }
        } else if let isolated = self.isolatedLeader, let until = self.checkQuorumDue[isolated], ctx.now < until,
            memberUp(isolated, in: ctx), reachableMemberCount(from: isolated, in: ctx) >= quorum
        {
            leaderRestored(isolated, in: ctx)
        }
        if let isolated = self.isolatedLeader,
            self.checkQuorumDue[isolated].map({ ctx.now >= $0 }) ?? true || !memberUp(isolated, in: ctx)
        {
            self.isolatedLeader = nil
        }
        armElectionTimers(lastHeartbeat: heartbeat, in: ctx)
        ctx.recordControlPlane()
    }

    /// The member a leader that stops gracefully hands its leadership to: etcd's `Stop` transfers
    /// leadership first (server/etcdserver/server.go `TransferLeadership`, to the follower with the
    /// longest log; here every follower is caught up, so the first reachable one).
    ///
    /// None when the rest cannot form a quorum.
    func leadershipTransferee(from m: Int, in ctx: EtcdContext) -> Int? {
        let others = reachableMembers(from: m, in: ctx).filter { $0 != m }
        return others.count >= quorum ? others.first : nil
    }

    /// The leader stops gracefully: the transferee gets MsgTimeoutNow and campaigns at once
    /// (no election timeout, no pre-vote) and wins after a vote round trip; proposals wait
    /// meanwhile, so writes pause for about two round trips instead of an election timeout.
    func transferLeadership(from m: Int, to t: Int, why: String, in ctx: EtcdContext) {
        let node = self.members[m].node
        self.leader = nil
        self.noLeaderSince = ctx.now
        self.lossCauses = ctx.faultsCausing(nodes: [node])
        self.epoch += 1
        self.transferring = true
        clearElectionTimers(in: ctx)
        ctx.noteAPIAvailability()
        ctx.faultsObserveControlPlane(
            .leaderTransfer,
            "the \(raftStoreName(in: ctx)) leader on \(ctx.nodeName(node)) stops gracefully (\(why)) and hands its leadership to the member on \(ctx.nodeName(self.members[t].node))",
            causes: self.lossCauses)
        ctx.schedule(.leaderElected(member: t, epoch: self.epoch), at: ctx.now + ctx.controlPlaneSpec.memberRoundTrip * 2)
        ctx.controlPlaneAvailabilityChanged()
        ctx.recordControlPlane()
    }

    /// Member `m` leads (elected, or leading on after a short partition): nobody campaigns,
    /// and the time without a writable leader ends.
    func installLeader(_ m: Int, in ctx: EtcdContext) {
        self.leader = m
        self.isolatedLeader = nil
        self.divergentLog.remove(m)
        clearElectionTimers(in: ctx)
        if let since = self.noLeaderSince { self.writeUnavailableSeconds += (ctx.now - since).seconds }
        self.noLeaderSince = nil
    }

    func clearElectionTimers(in ctx: EtcdContext) {
        for i in self.members.indices { self.members[i].timerEpoch = 0; self.members[i].timerAt = nil }
    }

    /// A member whose reachable group holds a majority, if any.
    func majorityMember(in ctx: EtcdContext) -> Int? {
        self.members.indices.first { memberUp($0, in: ctx) && reachableMemberCount(from: $0, in: ctx) >= quorum }
    }

    /// The partition healed before the majority elected anyone: the old leader's heartbeats
    /// reach the followers again and it leads on in the same term.
    func leaderRestored(_ m: Int, in ctx: EtcdContext) {
        installLeader(m, in: ctx)
        ctx.faultsObserveControlPlane(
            .leaderRestored,
            "\(raftStoreName(in: ctx)) member on \(ctx.nodeName(self.members[m].node)) leads again in term \(self.term): the partition healed before the majority's election timeout, and pre-vote kept the term",
            causes: self.lossCauses)
        ctx.controlPlaneAvailabilityChanged()
    }

    /// When a leader cut off from its followers now steps down (etcd-io/raft raft.go
    /// `tickHeartbeat`: every election timeout since it became leader it sends itself
    /// MsgCheckQuorum, and `stepLeader` steps down unless a quorum was recently active, then clears
    /// the recent-activity marks).
    ///
    /// The first check after the cut still counts the followers' answers from before it; the second
    /// finds none: between one and two election timeouts after the cut.
    func checkQuorumStepDown(in ctx: EtcdContext) -> SimTime {
        let et = ctx.controlPlaneSpec.electionTimeout
        return TickGrid(start: self.leaderSince, period: et).next(atOrAfter: ctx.now + SimTime(microseconds: 1)) + et
    }

    /// The isolated leader's CheckQuorum fires while the partition lasts: it becomes a
    /// follower, and its own clients' writes now fail at once instead of waiting.
    func isolatedLeaderStepDown(member m: Int, in ctx: EtcdContext) {
        guard self.checkQuorumDue[m] == ctx.now else { return }
        self.checkQuorumDue[m] = nil
        // Healed first: it hears the majority again (and follows a newer leader, or leads on).
        guard memberUp(m, in: ctx), reachableMemberCount(from: m, in: ctx) < quorum else { return }
        ctx.faultsObserveControlPlane(
            .leaderSteppedDown,
            "the cut-off \(raftStoreName(in: ctx)) member on \(ctx.nodeName(self.members[m].node)) steps down to follower: CheckQuorum found no majority active since its previous check (checks every election timeout \(ctx.controlPlaneSpec.electionTimeout))",
            causes: self.lossCauses)
    }

    /// The last heartbeat the followers received: the leader's heartbeat grid before now.
    func lastHeartbeat(in ctx: EtcdContext) -> SimTime {
        guard self.leader != nil else { return ctx.now }
        let h = ctx.controlPlaneSpec.heartbeatInterval
        return TickGrid(start: self.leaderSince, period: h).next(atOrAfter: ctx.now + SimTime(microseconds: 1)) - h
    }

    func leaderLost(reason: String, causes: [FaultID], in ctx: EtcdContext) {
        guard let l = self.leader else { return }
        self.leader = nil
        self.noLeaderSince = ctx.now
        self.lossCauses = causes
        ctx.noteAPIAvailability()
        ctx.faultsObserveControlPlane(
            .leaderLost,
            "\(raftStoreName(in: ctx)) member on \(ctx.nodeName(self.members[l].node)) no longer leads: \(reason); writes fail until a new leader is elected",
            causes: causes)
        ctx.controlPlaneAvailabilityChanged()
    }

    func leaderStepDown(epoch: Int, in ctx: EtcdContext) {
        guard epoch == self.epoch, let l = self.leader, reachableMemberCount(from: l, in: ctx) < quorum else { return }
        let cutOff = self.members.indices.filter { !reachableMembers(from: l, in: ctx).contains($0) }.map {
            self.members[$0].node
        }
        leaderLost(
            reason: "CheckQuorum: no contact with a majority for election-timeout \(ctx.controlPlaneSpec.electionTimeout)",
            causes: ctx.faultsCausing(nodes: cutOff + [self.members[l].node]), in: ctx)
        armElectionTimers(lastHeartbeat: ctx.now, in: ctx)
    }

    /// Followers that no longer hear a leader campaign after their randomized timeout.
    ///
    /// A timer already running keeps its time: a follower's election clock counts from the last
    /// message of a leader, and another member crashing or returning does not reset it.
    func armElectionTimers(lastHeartbeat: SimTime, in ctx: EtcdContext) {
        for m in self.members.indices where memberUp(m, in: ctx) && !hearsLeader(m, in: ctx) {
            if let pending = self.members[m].timerAt, pending >= ctx.now {
                rearm(m, at: pending, in: ctx)
            } else {
                rearm(m, at: max(ctx.now, electionTimerExpiry(member: m, from: lastHeartbeat, in: ctx)), in: ctx)
            }
        }
    }

    func hearsLeader(_ m: Int, in ctx: EtcdContext) -> Bool {
        guard let l = self.leader, memberUp(l, in: ctx) else { return false }
        return ctx.sameSide(self.members[l].node, self.members[m].node) && peersConnected(l, m)
    }

    func electionTimeout(member m: Int, epoch: Int, in ctx: EtcdContext) {
        guard epoch == self.epoch, self.members[m].timerEpoch == epoch, memberUp(m, in: ctx), !hearsLeader(m, in: ctx) else {
            return
        }
        let voters = reachableMembers(from: m, in: ctx).filter { !hearsLeader($0, in: ctx) }
        guard voters.count >= quorum else {
            // Pre-vote fails without a majority: try again after a new timeout. The quorum is
            // lost only when no group of members has one; a member cut off from a majority
            // that still has a leader just keeps failing.
            if !self.quorumLost, majorityMember(in: ctx) == nil {
                self.quorumLost = true
                let reachable = reachableMembers(from: m, in: ctx)
                let missing = self.members.indices.filter { !reachable.contains($0) }.map { self.members[$0].node }
                let causes = ctx.faultsCausing(nodes: missing)
                if !causes.isEmpty { self.lossCauses = causes }
                ctx.faultsObserveControlPlane(
                    .quorumLost,
                    "\(raftStoreName(in: ctx)): \(reachable.count) of \(self.members.count) members reachable, quorum is \(quorum): no leader can be elected, the API server cannot write",
                    causes: self.lossCauses)
            }
            rearm(m, at: electionTimerExpiry(member: m, from: ctx.now, in: ctx), in: ctx)
            return
        }
        let rtt = ctx.controlPlaneSpec.memberRoundTrip
        // Another voter whose own timer fires before our vote request reaches it campaigns
        // too: the vote splits and both draw new timeouts.
        let rival = pendingRival(of: m, among: voters, within: rtt, in: ctx)
        if rival {
            rearm(m, at: electionTimerExpiry(member: m, from: ctx.now, in: ctx), in: ctx)
            return
        }
        self.members[m].timerEpoch = -1
        self.members[m].timerAt = nil
        // Pre-vote round trip, then the vote round trip (with its fsync).
        ctx.schedule(.leaderElected(member: m, epoch: epoch), at: ctx.now + rtt * 2)
    }

    /// Whether another voter's election timer fires within `window` from now.
    func pendingRival(of m: Int, among voters: [Int], within window: SimTime, in ctx: EtcdContext) -> Bool {
        for v in voters where v != m && self.members[v].timerEpoch == self.epoch {
            if let t = self.members[v].timerAt, t >= ctx.now, t <= ctx.now + window { return true }
        }
        return false
    }

    func rearm(_ m: Int, at t: SimTime, in ctx: EtcdContext) {
        self.members[m].timerEpoch = self.epoch
        self.members[m].timerAt = t
        ctx.schedule(.electionTimeout(member: m, epoch: self.epoch), at: t)
    }

    func leaderElected(member m: Int, epoch: Int, in ctx: EtcdContext) {
        guard epoch == self.epoch, memberUp(m, in: ctx), self.leader == nil,
            reachableMemberCount(from: m, in: ctx) >= quorum
        else { return }
        installLeader(m, in: ctx)
        self.term += 1
        self.leaderSince = ctx.now
        self.leaderChanges += 1
        if self.quorumLost {
            self.quorumLost = false
            ctx.faultsObserveControlPlane(
                .quorumRestored, "a majority of \(raftStoreName(in: ctx)) members reachable again", causes: self.lossCauses)
        }
        let how = self.transferring ? "by leadership transfer (MsgTimeoutNow and one vote round)" : electionTimerText(in: ctx)
        self.transferring = false
        ctx.faultsObserveControlPlane(
            .leaderElected,
            "\(raftStoreName(in: ctx)) member on \(ctx.nodeName(self.members[m].node)) elected (term \(self.term)) \(how)",
            causes: self.lossCauses)
        ctx.controlPlaneAvailabilityChanged()
        ctx.recordControlPlane()
    }
}

extension EtcdRaft {
    func handle(_ event: EtcdEvent, in ctx: EtcdContext) {
        switch event {
        case .electionTimeout(let m, let epoch): electionTimeout(member: m, epoch: epoch, in: ctx)
        case .leaderElected(let m, let epoch): leaderElected(member: m, epoch: epoch, in: ctx)
        case .leaderStepDown(let epoch): leaderStepDown(epoch: epoch, in: ctx)
        case .isolatedLeaderStepDown(let m): isolatedLeaderStepDown(member: m, in: ctx)
        case .memberRejoined(let m): memberRejoined(member: m, in: ctx)
        }
    }
}

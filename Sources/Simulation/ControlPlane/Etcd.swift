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
    var quorumLost = false
}

extension ClusterSimulation {
    var etcdQuorum: Int { etcd.members.count / 2 + 1 }

    /// Randomized election timeout: (ET + U{0..ET−1}) ticks of `heartbeatInterval`.
    func randomizedElectionTimeout(member m: Int) -> SimTime {
        let cp = spec.controlPlane
        let ticks = max(1, cp.electionTimeout.microseconds / max(1, cp.heartbeatInterval.microseconds))
        var rng = randomStreams["etcd\u{0}\(m)"] ?? streams.stream("etcd/member-\(m)", "election-timeout")
        let extra = Int64(rng.next() % UInt64(ticks))
        randomStreams["etcd\u{0}\(m)"] = rng
        return cp.heartbeatInterval * (ticks + extra)
    }

    func memberUp(_ m: Int) -> Bool { nodes[etcd.members[m].node].up }

    /// Members that `m` can talk to (itself included): up and on its side of any partition.
    func reachableMembers(from m: Int) -> [Int] {
        etcd.members.indices.filter { memberUp($0) && sameSide(etcd.members[$0].node, etcd.members[m].node) }
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
        etcd.epoch += 1
        if let l = etcd.leader {
            if !memberUp(l) {
                etcdLeaderLost(reason: "the leader's server stopped")
            } else if reachableMembers(from: l).count < etcdQuorum {
                // CheckQuorum: the leader notices after an election timeout and steps down.
                engine.schedule(.etcdLeaderStepDown(epoch: etcd.epoch), after: spec.controlPlane.electionTimeout)
            }
        }
        armElectionTimers(lastHeartbeat: lastHeartbeat())
        recordControlPlane()
    }

    /// The last heartbeat the followers received: the leader's heartbeat grid before now.
    func lastHeartbeat() -> SimTime {
        guard etcd.leader != nil else { return now }
        let h = spec.controlPlane.heartbeatInterval
        return nextTick(grid: etcd.leaderSince, period: h, atOrAfter: now + SimTime(microseconds: 1)) - h
    }

    func etcdLeaderLost(reason: String) {
        guard let l = etcd.leader else { return }
        etcd.leader = nil
        etcd.noLeaderSince = now
        noteAPIAvailability()
        faultsObserveControlPlane("leaderLost", "etcd member on \(nodes[etcd.members[l].node].name) no longer leads: \(reason); writes fail until a new leader is elected")
        controlPlaneAvailabilityChanged()
    }

    func etcdLeaderStepDown(epoch: Int) {
        guard epoch == etcd.epoch, let l = etcd.leader, reachableMembers(from: l).count < etcdQuorum else { return }
        etcdLeaderLost(reason: "CheckQuorum: no contact with a majority for election-timeout \(spec.controlPlane.electionTimeout)")
        armElectionTimers(lastHeartbeat: now)
    }

    /// Followers that no longer hear a leader campaign after their randomized timeout.
    func armElectionTimers(lastHeartbeat: SimTime) {
        for m in etcd.members.indices where memberUp(m) && !hearsLeader(m) {
            rearm(m, at: max(now, lastHeartbeat + randomizedElectionTimeout(member: m)))
        }
    }

    func hearsLeader(_ m: Int) -> Bool {
        guard let l = etcd.leader, memberUp(l) else { return false }
        return sameSide(etcd.members[l].node, etcd.members[m].node)
    }

    func etcdElectionTimeout(member m: Int, epoch: Int) {
        guard epoch == etcd.epoch, etcd.members[m].timerEpoch == epoch, memberUp(m), !hearsLeader(m) else { return }
        let voters = reachableMembers(from: m).filter { !hearsLeader($0) }
        guard voters.count >= etcdQuorum else {
            // Pre-vote fails without a majority: try again after a new timeout.
            if !etcd.quorumLost {
                etcd.quorumLost = true
                faultsObserveControlPlane("quorumLost", "etcd: \(reachableMembers(from: m).count) of \(etcd.members.count) members reachable, quorum is \(etcdQuorum): no leader can be elected, the API server cannot write")
            }
            rearm(m, at: now + randomizedElectionTimeout(member: m))
            return
        }
        let rtt = spec.controlPlane.memberRoundTrip
        // Another voter whose own timer fires before our vote request reaches it campaigns
        // too: the vote splits and both draw new timeouts.
        let rival = pendingRival(of: m, among: voters, within: rtt)
        if rival {
            rearm(m, at: now + randomizedElectionTimeout(member: m))
            return
        }
        etcd.members[m].timerEpoch = -1
        etcd.members[m].timerAt = nil
        // Pre-vote round trip, then the vote round trip (with its fsync).
        engine.schedule(.etcdLeaderElected(member: m, epoch: epoch), after: rtt * 2)
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
        engine.schedule(.etcdElectionTimeout(member: m, epoch: etcd.epoch), at: t)
    }

    func etcdLeaderElected(member m: Int, epoch: Int) {
        guard epoch == etcd.epoch, memberUp(m), etcd.leader == nil,
              reachableMembers(from: m).count >= etcdQuorum else { return }
        etcd.leader = m
        etcd.term += 1
        etcd.leaderSince = now
        etcd.leaderChanges += 1
        for i in etcd.members.indices { etcd.members[i].timerEpoch = 0; etcd.members[i].timerAt = nil }
        if let since = etcd.noLeaderSince { etcd.writeUnavailableSeconds += (now - since).seconds }
        etcd.noLeaderSince = nil
        if etcd.quorumLost {
            etcd.quorumLost = false
            faultsObserveControlPlane("quorumRestored", "a majority of etcd members reachable again")
        }
        faultsObserveControlPlane("leaderElected", "etcd member on \(nodes[etcd.members[m].node].name) elected (term \(etcd.term)) after a randomized election timeout of \(spec.controlPlane.electionTimeout)–\(spec.controlPlane.electionTimeout * 2 - spec.controlPlane.heartbeatInterval) (heartbeat \(spec.controlPlane.heartbeatInterval)) and a pre-vote and vote round")
        controlPlaneAvailabilityChanged()
        recordControlPlane()
    }
}

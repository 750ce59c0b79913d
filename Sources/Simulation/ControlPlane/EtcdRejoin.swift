import SimKernel

/// etcd members do not talk again at the instant a partition heals. A member's rafthttp
/// stream readers redial a broken peer at most once per `peerDialRetry` (stream.go
/// `streamReader.run`), so the connection is back within one dial interval of the heal, at a
/// phase of its own. The member then takes the leader from the leader's next heartbeat (raft.go
/// `stepFollower`: MsgHeartbeat/MsgApp of the current or a higher term set the leader). Until
/// it knows a leader its API server's writes wait, since etcd's node loop reads proposals only
/// while a leader is known (raft node.go `run`). A member that led while cut off holds entries
/// of its own term that never committed; the new leader replaces them before its writes apply,
/// which real etcd did one heartbeat interval later.
///
/// The API server on a reconnecting member's server is not cut off meanwhile: its writes wait
/// in etcd and complete at the rejoin (a fraction of a second, inside any client's timeout),
/// so the kubelets and controllers there keep writing. Only when the others wait for the
/// cut-off member (it was the leader and nobody replaced it) does the whole cluster wait.
///
/// Measured with real etcd 3.4 members in network namespaces (heartbeat 100 ms, election
/// timeout 1 s, 25 partitions of each kind, `k3sim live etcd partition`): from the heal, the
/// cut-off follower names the leader after 0.13–0.24 s and writes after 0.14–0.29 s; the
/// cut-off old leader names it after 0.17–0.31 s and writes a near-constant 0.10 s later
/// (24 of 25 trials), 0.27–0.41 s after the heal.
extension EtcdRaft {
    /// Whether members `a` and `b` exchange raft messages as far as a healed partition goes: a
    /// member still reconnecting talks only to the members that were cut off with it. (Sides
    /// and crashes are checked by the callers.)
    func peersConnected(_ a: Int, _ b: Int) -> Bool {
        if a == b || self.rejoining.isEmpty { return true }
        return (self.rejoining[a] == nil) == (self.rejoining[b] == nil)
    }

    /// The members the partition change cannot disturb: the leader's group, or the majority's
    /// while nobody leads it; nil when no group holds a majority.
    func referenceGroup(in ctx: EtcdContext) -> Set<Int>? {
        guard !self.members.isEmpty else { return nil }
        if let l = self.leader, memberUp(l, in: ctx) { return Set(reachableMembers(from: l, in: ctx)) }
        return majorityMember(in: ctx).map { Set(reachableMembers(from: $0, in: ctx)) }
    }

    /// After the sides changed: the members that can now reach the reference group (or, with no
    /// majority anywhere, the members of the side that was cut off) reconnect, each at its own
    /// time.
    ///
    /// `causes`: the faults whose heal this is.
    func rejoinAfterPartitionChange(group: Set<Int>?, sidesBefore: [Int: Int], causes: [FaultID], in ctx: EtcdContext) {
        let members = self.members
        var rejoiners: [Int] = []
        if let group, let reference = group.min() {
            rejoiners = members.indices.filter {
                !group.contains($0) && memberUp($0, in: ctx) && ctx.sameSide(members[$0].node, members[reference].node)
            }
        } else {
            rejoiners = members.indices.filter {
                memberUp($0, in: ctx) && (sidesBefore[ctx.zone(ofNode: members[$0].node)] ?? 0) != 0
                    && (ctx.partitionSides[ctx.zone(ofNode: members[$0].node)] ?? 0) == 0
            }
        }
        for m in rejoiners {
            let at = rejoinTime(member: m, among: Set(rejoiners), in: ctx)
            self.rejoining[m] = Rejoin(at: at, causes: causes)
            ctx.schedule(.memberRejoined(member: m), at: at)
        }
    }

    /// When member `m` hears the leader again: its redial, then the leader's next heartbeat
    /// (its own, when it is the cut-off leader the others wait for), plus one heartbeat round
    /// to repair a log that diverged while it led alone.
    private func rejoinTime(member m: Int, among rejoiners: Set<Int>, in ctx: EtcdContext) -> SimTime {
        let cp = ctx.controlPlaneSpec
        let connected = ctx.now + redialDelay(member: m, in: ctx)
        let heartbeats: Int?
        if let l = self.leader, memberUp(l, in: ctx), !rejoiners.contains(l) {
            heartbeats = l
        } else if self.leader == nil, self.isolatedLeader == m {
            heartbeats = m
        } else {
            heartbeats = nil
        }
        guard let leader = heartbeats else { return connected }
        let heard =
            TickGrid(start: self.leaderSince, period: cp.heartbeatInterval).next(atOrAfter: connected)
            + SimTime(microseconds: cp.memberRoundTrip.microseconds / 2)
        return leader != m && self.divergentLog.contains(m) ? heard + cp.heartbeatInterval : heard
    }

    /// Uniform in [0, peerDialRetry): where the heal falls in the member's dial cycle.
    private func redialDelay(member m: Int, in ctx: EtcdContext) -> SimTime {
        let retry = Double(ctx.controlPlaneSpec.peerDialRetry.microseconds)
        return ctx.drawInSequence("etcd/member-\(m)", "peer-redial") { SimTime(microseconds: Int64($0.nextUnit() * retry)) }
    }

    /// Member `m` hears the leader again (or, as the cut-off leader, is heard): its API
    /// server writes again, and a leader nobody replaced meanwhile leads on.
    func memberRejoined(member m: Int, in ctx: EtcdContext) {
        guard let rejoin = self.rejoining[m], rejoin.at == ctx.now else { return }
        self.rejoining[m] = nil
        let causes = rejoin.causes
        let repaired = self.divergentLog.remove(m) != nil && self.leader.map { $0 != m } ?? false
        let node = ctx.nodeName(self.members[m].node)
        let cp = ctx.controlPlaneSpec
        if self.leader == nil, self.isolatedLeader == m, let until = self.checkQuorumDue[m], ctx.now < until,
            reachableMemberCount(from: m, in: ctx) >= quorum
        {
            leaderRestored(m, in: ctx)
        } else {
            ctx.controlPlaneAvailabilityChanged()
        }
        let heard: String
        if let l = self.leader {
            heard =
                l == m
                ? "the others hear its heartbeat (every \(cp.heartbeatInterval)) again"
                : "it hears the leader on \(ctx.nodeName(self.members[l].node)) at its next heartbeat (every \(cp.heartbeatInterval))"
        } else {
            heard = "no leader yet: it takes part in the election"
        }
        ctx.faultsObserveControlPlane(
            .memberRejoined,
            "etcd member on \(node) is back in raft: its peers redialed within peerDialRetry \(cp.peerDialRetry) (rafthttp), then \(heard)\(repaired ? ", one heartbeat round more to replace the entries it took while it led alone" : ""); its API server writes again",
            causes: causes)
        ctx.recordControlPlane()
    }
}

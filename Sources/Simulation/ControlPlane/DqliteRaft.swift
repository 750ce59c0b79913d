import SimKernel

/// MicroK8s's HA datastore: dqlite, whose C raft (canonical/dqlite src/raft) elects leaders
/// as etcd's raft does in every respect the model uses, so the etcd model runs it with
/// dqlite's timing and this election timer:
/// - pre-vote: on (src/server.c `dqlite_node_create` calls `raft_set_pre_vote(true)`);
/// - a follower that has a leader refuses votes until its own election timer expires
///   (src/raft/recv_request_vote.c `recvRequestVote`, "local server has a leader"), as
///   etcd's in-lease check does;
/// - CheckQuorum: a leader that has not heard from a majority within an election timeout
///   steps down, checking every election timeout (src/raft/tick.c `tickLeader`);
/// - a graceful stop hands leadership over first (k8s-dqlite pkg/server/server.go calls
///   go-dqlite's `App.Handover` on shutdown).
/// What differs is the timer: C raft draws the timeout in whole milliseconds from
/// [election_timeout, 2 × election_timeout) (src/raft/election.c `electionResetTimer` with
/// src/raft/uv.c `uvRandom`: min + rand() % (max − min)), where etcd draws whole heartbeat
/// ticks, and looks at it only on its own ticks, which a repeating libuv timer fires every
/// heartbeat_timeout from the moment raft started (src/raft/start.c `raft_start` →
/// src/raft/uv.c `uvStart`): the follower campaigns at its first tick at or after the
/// timeout. Each member's tick phase is drawn once per run; a member that restarts keeps it,
/// which real dqlite does not (its timer restarts with the process).
extension EtcdRaft {
    /// When member `m`'s election timer, reset at `start`, makes it campaign.
    func electionTimerExpiry(member m: Int, from start: SimTime, in ctx: EtcdContext) -> SimTime {
        switch ctx.controlPlaneSpec.embeddedRaft {
        case .etcd: return start + randomizedElectionTimeout(member: m, in: ctx)
        case .dqlite: return dqliteElectionTimerExpiry(member: m, from: start, in: ctx)
        }
    }

    func dqliteElectionTimerExpiry(member m: Int, from start: SimTime, in ctx: EtcdContext) -> SimTime {
        let cp = ctx.controlPlaneSpec
        let timeoutMs = max(1, cp.electionTimeout.microseconds / 1000)
        let drawn = ctx.drawInSequence("dqlite/member-\(m)", "election-timeout") {
            timeoutMs + Int64($0.next() % UInt64(timeoutMs))
        }
        return dqliteTicks(member: m, in: ctx).next(atOrAfter: start + .milliseconds(drawn))
    }

    /// Member `m`'s raft ticks: every heartbeat_timeout, at a phase of its own.
    func dqliteTicks(member m: Int, in ctx: EtcdContext) -> TickGrid {
        let period = ctx.controlPlaneSpec.heartbeatInterval
        var rng = ctx.freshStream("dqlite/member-\(m)", "tick-phase")
        let phase = SimTime(microseconds: Int64(rng.nextUnit() * Double(period.microseconds)))
        return TickGrid(start: phase, period: period)
    }
}

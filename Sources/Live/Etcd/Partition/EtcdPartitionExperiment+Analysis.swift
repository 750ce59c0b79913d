import Foundation

/// What one trial's writes, status polls and etcd logs say, as seconds from the cut (or the heal).
extension EtcdPartitionExperiment {
    func analyse(_ t: Timeline, rec: Recorder, log: [EtcdNetnsCluster.LogLine], size: Int) -> Trial {
        let name = { (i: Int) in "m\(i)" }
        func firstLog(after time: Double, member: Int? = nil, _ match: (String) -> Bool) -> EtcdNetnsCluster.LogLine? {
            log.first { $0.time >= time && (member == nil || $0.member == member) && match($0.message) }
        }
        let attempts = rec.lock.withLock { rec.attempts }
        let statuses = rec.lock.withLock { rec.statuses }.sorted { $0.time < $1.time }

        // Majority side: a write that started up to a request timeout before the cut may stall on it.
        let maj = (attempts[t.majority] ?? []).sorted { $0.start < $1.start }
        let inPartition = { (a: Attempt) in !a.ok && a.start >= t.cutAt - requestTimeoutSeconds && a.start < t.healAt }
        let firstFail = maj.first(where: inPartition)
        let majorityWindow =
            firstFail.map { f in (maj.filter { $0.ok && $0.start > f.start }.map(\.end).min() ?? t.end) - f.start } ?? 0
        let baselineFailures =
            maj.filter { !$0.ok && $0.start < t.cutAt - requestTimeoutSeconds }.count
            + (attempts[t.cut] ?? []).filter { !$0.ok && $0.start < t.cutAt - requestTimeoutSeconds }.count
        let elected = firstLog(after: t.cutAt) { $0.contains(" became leader at term ") }
        let stepDown =
            role == .leader
            ? firstLog(after: t.cutAt, member: t.cut) { $0.contains("stepped down to follower since quorum is not active") } : nil
        let lost = firstLog(after: t.cutAt, member: t.cut) { $0.contains(" lost leader ") }

        // Cut-off side.
        let minority = (attempts[t.cut] ?? []).sorted { $0.start < $1.start }
        let during = minority.filter { $0.start >= t.cutAt + 0.1 && $0.start < t.healAt }
        var errors: [String: Int] = [:]
        for a in during where !a.ok { errors[Self.shorten(a.error ?? ""), default: 0] += 1 }

        // After the heal: the first moment every member's latest status names one leader at one term.
        var latest: [Int: StatusSample] = [:]
        var agreeStatus: Double?
        for s in statuses where s.time >= t.healAt {
            latest[s.member] = s
            let views = (0..<size).compactMap { latest[$0] }
            if views.count == size, let l = views[0].leader, l != "0",
                views.allSatisfy({ $0.leader == l && $0.term == views[0].term })
            {
                agreeStatus = s.time - t.healAt
                break
            }
        }
        let learnt = firstLog(after: t.healAt, member: t.cut) {
            $0.contains(" elected leader ") || $0.contains(" changed leader ")
        }
        return Trial(
            role: role, partitionSeconds: partitionSeconds, cutMember: name(t.cut), majorityMember: name(t.majority),
            leaderBefore: name(t.leader), termBefore: t.termBefore,
            majorityUnavailableSeconds: majorityWindow, majorityUnavailableStartSeconds: firstFail.map { $0.start - t.cutAt },
            majorityFailedWrites: maj.filter(inPartition).count,
            newLeaderSeconds: elected.map { $0.time - t.cutAt }, newLeader: elected.map { name($0.member) },
            oldLeaderStepDownSeconds: stepDown.map { $0.time - t.cutAt }, cutOffLostLeaderSeconds: lost.map { $0.time - t.cutAt },
            minorityWritesDuringPartition: during.count,
            minoritySucceededDuringPartition: during.filter { $0.ok && $0.end < t.healAt }.count,
            healSeconds: t.healAt - t.cutAt,
            minorityStalledThenSucceeded: during.filter { $0.ok && $0.end >= t.healAt }.map {
                [$0.start - t.cutAt, $0.end - t.cutAt]
            },
            minorityErrors: errors,
            minorityRecoverySeconds: minority.filter { $0.ok && $0.end >= t.healAt }.map(\.end).min().map { $0 - t.healAt },
            minorityRecoveryFreshSeconds: minority.filter { $0.ok && $0.start >= t.healAt }.map(\.end).min().map {
                $0 - t.healAt
            },
            leaderElectionsAfterHeal: log.filter { $0.time >= t.healAt && $0.message.contains(" became leader at term ") }.count,
            candidatesAfterHeal: log.filter { $0.time >= t.healAt && $0.message.contains(" became candidate at term ") }.count,
            termAtHeal: statuses.filter { $0.time < t.healAt }.map(\.term).max() ?? 0, termAtEnd: statuses.map(\.term).max() ?? 0,
            allAgreeSeconds: learnt.map { $0.time - t.healAt }, allAgreeStatusSeconds: agreeStatus,
            baselineFailures: baselineFailures,
            cutCommandSeconds: t.cutAt - t.cutCalled, healCommandSeconds: t.healAt - t.healCalled,
            raftEvents: log.filter { $0.time >= t.cutAt && Self.isStateChange($0.message) }.map {
                [String(format: "%.3f", $0.time - t.cutAt), "\(name($0.member)): \($0.message)"]
            })
    }
}

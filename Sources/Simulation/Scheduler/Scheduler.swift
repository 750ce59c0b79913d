import KubeModel
import SimKernel

struct SchedulerState {
    /// Pods waiting for a scheduling attempt.
    var active: Set<Int> = []
    /// Pods that failed, with the reason, until a cluster event moves them back.
    var unschedulable: [Int: String] = [:]
    var cyclePending = false
    var flushPending = false
    var filters: [any FilterPlugin] = [NodeUnschedulable(), NodeName(), TaintToleration(), NodeAffinityPlugin(), NodeResourcesFit()]
    var scorers: [any ScorePlugin] = [TaintToleration(), NodeAffinityPlugin(), NodeResourcesFit(), BalancedAllocation()]
}

/// kube-scheduler, first slice: PrioritySort queue with per-pod backoff, the filters
/// NodeUnschedulable, NodeName, TaintToleration, NodeAffinity and NodeResourcesFit, the
/// scores TaintToleration (3), NodeAffinity (2), NodeResourcesFit LeastAllocated (1) and
/// BalancedAllocation (1), ties broken at random as `selectHost` does. Pods that fit
/// nowhere wait in the unschedulable set until the cluster changes.
extension ClusterSimulation {
    func enqueueForScheduling(_ id: Int) {
        scheduler.active.insert(id)
        scheduleCycle(after: params.apiLatency)
    }

    func scheduleCycle(after delay: SimTime) {
        guard !scheduler.cyclePending else { return }
        scheduler.cyclePending = true
        engine.schedule(.schedulingCycle, after: delay)
    }

    /// Backoff after `attempts` failures: 1 s doubling up to 10 s.
    func backoff(_ attempts: Int) -> SimTime {
        guard attempts > 0 else { return .zero }
        var b = params.podInitialBackoff
        for _ in 1..<attempts where b < params.podMaxBackoff { b = b * 2 }
        return min(b, params.podMaxBackoff)
    }

    func schedulingCycle() {
        scheduler.cyclePending = false
        // PrioritySort: higher priority first, then earlier creation.
        var best: SimPod? = nil
        var earliestBackoff: SimTime? = nil
        for id in scheduler.active {
            guard let p = pods[id] else { continue }
            let readyAt = p.lastAttempt + backoff(p.attempts)
            if readyAt > now { earliestBackoff = min(earliestBackoff ?? readyAt, readyAt); continue }
            if let b = best {
                if p.priority != b.priority { if p.priority < b.priority { continue } }
                else if p.created != b.created { if p.created > b.created { continue } }
                else if p.id > b.id { continue }
            }
            best = p
        }
        guard let pod = best else {
            scheduler.active = scheduler.active.filter { pods[$0] != nil }
            if let t = earliestBackoff { scheduleCycle(after: t - now) }
            return
        }
        scheduler.active.remove(pod.id)
        schedulePod(pod)
        if !scheduler.active.isEmpty { scheduleCycle(after: params.schedulingCycle) }
    }

    func schedulePod(_ pod: SimPod) {
        var feasible: [Int] = []
        var reasons: [String: Int] = [:]
        let toFind = Framework.numFeasibleNodesToFind(nodes.count)
        for n in nodes.indices {
            if let reason = firstFailure(pod, nodes[n]) { reasons[reason, default: 0] += 1; continue }
            feasible.append(n)
            if feasible.count >= toFind { break }
        }
        guard !feasible.isEmpty else {
            markUnschedulable(pod.id, reason: failureMessage(reasons))
            return
        }
        let chosen = feasible.count == 1 ? feasible[0] : selectHost(pod, feasible)
        bindPod(pod.id, node: chosen)
    }

    func firstFailure(_ pod: SimPod, _ node: SimNode) -> String? {
        for f in scheduler.filters { if let r = f.filter(pod, node) { return r } }
        return nil
    }

    /// Total weighted score per feasible node; the highest wins, ties by reservoir sampling.
    func selectHost(_ pod: SimPod, _ feasible: [Int]) -> Int {
        var totals = [Int64](repeating: 0, count: feasible.count)
        for plugin in scheduler.scorers where !plugin.skip(pod) {
            var scores = feasible.map { plugin.score(pod, nodes[$0]) }
            plugin.normalize(&scores)
            for i in totals.indices { totals[i] += scores[i] * plugin.weight }
        }
        var selected = 0, maxScore = Int64.min, count = 0
        for i in totals.indices {
            if totals[i] > maxScore {
                maxScore = totals[i]; selected = i; count = 1
            } else if totals[i] == maxScore {
                count += 1
                if tieBreak.next() % UInt64(count) == 0 { selected = i }
            }
        }
        return feasible[selected]
    }

    /// "0/7 nodes are available: 3 node(s) had untolerated taint {...}, 4 Insufficient cpu."
    func failureMessage(_ reasons: [String: Int]) -> String {
        let parts = reasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        return "0/\(nodes.count) nodes are available: " + parts.joined(separator: ", ") + "."
    }

    func markUnschedulable(_ id: Int, reason: String) {
        guard var pod = pods[id] else { return }
        pod.attempts += 1
        pod.lastAttempt = now
        pods[id] = pod
        scheduler.unschedulable[id] = reason
        if !scheduler.flushPending {
            scheduler.flushPending = true
            engine.schedule(.flushUnschedulable, after: params.podMaxInUnschedulablePodsDuration)
        }
    }

    func unschedulablePodGone(_ id: Int) {
        scheduler.unschedulable[id] = nil
        scheduler.active.remove(id)
    }

    /// Moves unschedulable pods back to the active queue (their backoff still applies).
    func flushUnschedulable(periodic: Bool) {
        if periodic { scheduler.flushPending = false }
        guard !scheduler.unschedulable.isEmpty else { return }
        for id in scheduler.unschedulable.keys.sorted() where pods[id] != nil {
            scheduler.active.insert(id)
        }
        scheduler.unschedulable.removeAll()
        scheduleCycle(after: params.apiLatency)
    }

    /// `nodeShouldRunDaemonPod` and friends reuse the NodeAffinity check.
    func nodeMatchesAffinity(_ spec: PodSpec, node n: Int) -> Bool {
        NodeAffinityPlugin.matches(spec, nodes[n])
    }

    /// Pods still waiting for a node at the end, with kube-scheduler's reason.
    func pendingPods() -> [(key: String, reason: String)] {
        pods.values.filter { $0.node == nil && !$0.isTerminating }.sorted { $0.id < $1.id }.map {
            ($0.key, scheduler.unschedulable[$0.id] ?? "waiting for a scheduling attempt")
        }
    }
}

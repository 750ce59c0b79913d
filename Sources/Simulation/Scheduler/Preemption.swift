import KubeModel
import SimKernel

/// DefaultPreemption (plugins/defaultpreemption, pkg/scheduler/framework/preemption): for a
/// pod that fits nowhere, find nodes where removing lower-priority pods makes it fit;
/// keep as many of them as possible (reprieve, PDB-protected first); pick the node with
/// the fewest PDB violations, then the lowest top victim priority, the smallest priority
/// sum, the fewest victims, the latest-started top victims; delete the victims and
/// nominate the node.
extension KubeScheduler {
    struct PreemptionCandidate {
        let node: Int
        let victims: [SimPod]
        let pdbViolations: Int
    }

    /// Returns the postFilter message part ("preemption: …").
    func preempt<C: SchedulerContext>(
        _ pod: SimPod, _ profile: SchedulerProfile, _ evaluations: [NodeEvaluation], in ctx: C
    ) -> String? {
        guard pod.spec.preemptionPolicy != "Never" else {
            return "preemption: not eligible due to preemptionPolicy=Never."
        }
        // A pod whose nominated node still has victims terminating waits for them.
        if let n = pod.nominatedNode,
            ctx.nodes[n].pods.contains(where: { ctx.pods[$0].map { $0.isTerminating && $0.priority < pod.priority } ?? false })
        {
            return nil
        }
        var notHelpful = 0, noVictims = 0
        var candidates: [PreemptionCandidate] = []
        for e in evaluations {
            if e.failure?.unresolvable == true { notHelpful += 1; continue }
            if let c = selectVictims(pod, on: e.node, profile, in: ctx) { candidates.append(c) } else { noVictims += 1 }
        }
        guard let best = pickOneNode(candidates) else {
            var parts: [String] = []
            if notHelpful > 0 { parts.append("\(notHelpful) Preemption is not helpful for scheduling") }
            if noVictims > 0 { parts.append("\(noVictims) No preemption victims found for incoming pod") }
            return "preemption: 0/\(nodeOrder.count) nodes are available: " + parts.sorted().joined(separator: ", ")
                + "."
        }
        for v in best.victims {
            ctx.deletePod(v.id, reason: "PreemptionByScheduler", disruptionTarget: "PreemptionByScheduler")
        }
        ctx.setNominatedNode(pod.id, best.node)
        nominate(pod.id, on: best.node)
        let names = best.victims.map { "\($0.key) (priority \($0.priority))" }.joined(separator: ", ")
        let node = ctx.nodes[best.node].name
        ctx.note("At \(ctx.now): \(pod.key) (priority \(pod.priority)) preempted \(names) on node \(node).")
        return "preemption: \(best.victims.count) victim(s) on node \(node)."
    }

    /// `SelectVictimsOnNode`: all lower-priority pods out; fail if the pod still does not
    /// fit; then put back as many as possible, highest priority first.
    func selectVictims<C: SchedulerContext>(
        _ pod: SimPod, on n: Int, _ profile: SchedulerProfile, in ctx: C
    ) -> PreemptionCandidate? {
        // In pod order (a Set's iteration order depends on memory addresses, and the sort
        // below keeps ties in this order: it decided between equal victims from run to run).
        let potential = ctx.nodes[n].pods.sorted().compactMap { ctx.pods[$0] }.filter {
            !$0.isTerminating && $0.priority < pod.priority
        }
        guard !potential.isEmpty else { return nil }
        var snapshot = ctx.schedulingSnapshot()
        snapshot.adjusted = nominatedUsage(for: pod, snapshot, ctx)
        snapshot.adjusted[n] = snapshot.usage(n)
        // The node's usage is in `adjusted` (set above) for as long as the victims are chosen.
        func remove(_ p: SimPod) {
            snapshot.removed.insert(p.id)
            snapshot.adjusted[n]?.podCount -= 1
            snapshot.adjusted[n]?.requested.subtract(p.requests)
            snapshot.adjusted[n]?.nonZeroRequested.subtract(p.nonZeroRequests)
        }
        func restore(_ p: SimPod) {
            snapshot.removed.remove(p.id)
            snapshot.adjusted[n]?.podCount += 1
            snapshot.adjusted[n]?.requested.add(p.requests)
            snapshot.adjusted[n]?.nonZeroRequested.add(p.nonZeroRequests)
        }
        func fits() -> Bool {
            let state = CycleState()
            if runPreFilters(pod, profile, snapshot, state) != nil { return false }
            return runFilters(pod, n, profile, snapshot, state) == nil
        }
        for p in potential { remove(p) }
        guard fits() else { return nil }
        // MoreImportantPod: higher priority first, then earlier start.
        let sorted = potential.sorted { a, b in a.priority != b.priority ? a.priority > b.priority : a.created < b.created }
        var budget = ctx.pdbDisruptionsAllowed()
        let violating = sorted.filter { ctx.violatesPDB($0, budget) }
        let nonViolating = sorted.filter { !ctx.violatesPDB($0, budget) }
        var victims: [SimPod] = []
        var violations = 0
        for (group, isViolating) in [(violating, true), (nonViolating, false)] {
            for p in group {
                restore(p)
                if !fits() {
                    remove(p)
                    victims.append(p)
                    if isViolating { violations += 1 }
                    for i in budget.indices where ctx.matchesPDB(p, i) { budget[i] -= 1 }
                }
            }
        }
        return PreemptionCandidate(node: n, victims: victims, pdbViolations: violations)
    }

    /// `pickOneNodeForPreemption`.
    func pickOneNode(_ candidates: [PreemptionCandidate]) -> PreemptionCandidate? {
        guard !candidates.isEmpty else { return nil }
        func highest(_ c: PreemptionCandidate) -> Int32 { c.victims.map(\.priority).max() ?? Int32.min }
        func prioritySum(_ c: PreemptionCandidate) -> Int64 {
            c.victims.reduce(0) { $0 + Int64($1.priority) + Int64(Int32.max) + 1 }
        }
        func latestStart(_ c: PreemptionCandidate) -> SimTime {
            let top = highest(c)
            return c.victims.filter { $0.priority == top }.map(\.created).min() ?? .zero
        }
        var pool = candidates
        let steps: [(PreemptionCandidate) -> Int64] = [
            { Int64($0.pdbViolations) }, { Int64(highest($0)) }, { prioritySum($0) }, { Int64($0.victims.count) },
            { -latestStart($0).microseconds },
        ]
        for key in steps where pool.count > 1 {
            guard let best = pool.map(key).min() else { break }
            pool = pool.filter { key($0) == best }
        }
        return pool.first
    }
}

import KubeModel
import SimKernel

/// One node's verdict in a scheduling decision.
struct NodeEvaluation {
    let node: Int
    var failure: FilterFailure?
    /// Per plugin, after its own normalisation and before weighting (filled for explain only).
    var scores: [String: Int64] = [:]
    var total: Int64 = 0
}

/// kube-scheduler's scheduling cycle (pkg/scheduler/schedule_one.go): PreFilter and Filter
/// over the nodes from a rotating start index until `numFeasibleNodesToFind` fit;
/// PreScore/Score/NormalizeScore weighted per profile; the best total wins, ties at random;
/// a pod that fits nowhere tries preemption and waits in the unschedulable set until the
/// cluster changes (or 5 minutes pass).
extension KubeScheduler {
    func schedulePod<C: SchedulerContext>(_ pod: SimPod, in ctx: C) {
        // The SchedulingGates PreEnqueue plugin keeps a gated pod out of the active queue
        // (pkg/scheduler/framework/plugins/schedulinggates `PreEnqueue`); the API server set its
        // PodScheduled condition (pkg/registry/core/pod/strategy.go `applySchedulingGatedCondition`).
        if !pod.spec.schedulingGates.isEmpty {
            let gates = pod.spec.schedulingGates.joined(separator: " ")
            markUnschedulable(
                pod.id,
                reason:
                    "SchedulingGated: Scheduling is blocked due to non-empty scheduling gates (waiting for scheduling gates: [\(gates)])",
                in: ctx)
            return
        }
        guard let profile = profile(for: pod) else {
            // kube-scheduler ignores pods for other schedulers; they stay Pending.
            markUnschedulable(pod.id, reason: "no scheduler profile named \"\(pod.spec.schedulerName)\"", in: ctx)
            return
        }
        let (chosen, evaluations) = place(pod, profile, in: ctx)
        if let chosen {
            if let failure = ctx.volumeBindingPreBindFailure(pod) {
                markUnschedulable(pod.id, reason: failure, in: ctx)
                ctx.postFailedScheduling(pod: pod.id, message: failure)
                return
            }
            clearNomination(pod.id, ctx)
            ctx.bindPod(pod.id, node: chosen)
            return
        }
        var message = fitErrorMessage(evaluations)
        if profile.preemption, let outcome = preempt(pod, profile, evaluations, in: ctx) {
            message += " " + outcome
        }
        markUnschedulable(pod.id, reason: message, in: ctx)
        // handleSchedulingFailure posts the FitError as a Warning (gated pods and pods for
        // other schedulers never reach a cycle, so they get none).
        ctx.postFailedScheduling(pod: pod.id, message: message)
    }

    /// The scheduling decision: the chosen node, or nil and every node's verdict.
    ///
    /// The cycle's snapshot of the nodes ends here, before the binding changes them (else the whole
    /// array would be copied).
    func place<C: SchedulerContext>(_ pod: SimPod, _ profile: SchedulerProfile, in ctx: C) -> (Int?, [NodeEvaluation]) {
        var snapshot = ctx.schedulingSnapshot()
        snapshot.adjusted = nominatedUsage(for: pod, snapshot, ctx)
        let state = CycleState()
        if let failure = runPreFilters(pod, profile, snapshot, state) {
            return (nil, nodeOrder.map { NodeEvaluation(node: $0, failure: failure) })
        }
        let (feasible, rejected) = findFeasibleNodes(pod, profile, snapshot, state)
        if feasible.isEmpty { return (nil, rejected) }
        if feasible.count == 1 { return (feasible[0], []) }
        return (selectHost(feasible, prioritize(pod, feasible, profile, snapshot, state).totals), [])
    }

    /// Filters stop at the first plugin that rejects the node.
    func runFilters(
        _ pod: SimPod, _ node: Int, _ profile: SchedulerProfile, _ snapshot: SchedulingContext, _ state: CycleState
    ) -> FilterFailure? {
        for f in state.activeFilters ?? profile.filters {
            if var failure = f.filter(pod, node, snapshot, state) { failure.plugin = f.name; return failure }
        }
        return nil
    }

    /// Pods nominated to a node by preemption, of at least this pod's priority, count as
    /// already there (`addGENominatedPods`), so the freed room is not taken by others.
    func nominatedUsage<C: SchedulerContext>(for pod: SimPod, _ snapshot: SchedulingContext, _ ctx: C) -> [Int: NodeUsage] {
        var result: [Int: NodeUsage] = [:]
        for (n, ids) in nominated where !ids.isEmpty {
            var u = snapshot.usage(n)
            for id in ids where id != pod.id {
                guard let p = ctx.pods[id], p.priority >= pod.priority else { continue }
                u.requested.add(p.requests)
                u.nonZeroRequested.add(p.nonZeroRequests)
            }
            result[n] = u
        }
        return result
    }

    /// `findNodesThatFitPod` and `findNodesThatPassFilters`: from the rotating start index until
    /// enough nodes fit, over the nodes PreFilter left (all, or a `PreFilterResult`'s).
    ///
    /// The feasible nodes in search order, and when there are none the rejected ones with their
    /// failures (the nodes PreFilter left out among them). The start index moves on by the nodes
    /// examined, modulo all the nodes (kubernetes#124933: a DaemonSet pod, narrowed to its node,
    /// moves it by one).
    func findFeasibleNodes(
        _ pod: SimPod, _ profile: SchedulerProfile, _ snapshot: SchedulingContext, _ state: CycleState
    ) -> (feasible: [Int], rejected: [NodeEvaluation]) {
        let order = state.eligibleNodes ?? nodeOrder
        let total = order.count
        guard total > 0 else { return ([], excluded(from: state)) }
        let toFind = Framework.numFeasibleNodesToFind(total, percentage: profile.percentageOfNodesToScore ?? 0)
        var feasible: [Int] = [], rejected: [NodeEvaluation] = []
        feasible.reserveCapacity(toFind)
        let filters = state.activeFilters ?? profile.filters
        let start = nextStartNodeIndex % total
        var examined = 0, recordRejected = true
        // In batches no larger than the feasible nodes still wanted, so that the search stops
        // exactly where the node-by-node one does (filters are pure).
        while examined < total && feasible.count < toFind {
            let size = min(toFind - feasible.count, total - examined)
            var batch: [Int] = []
            batch.reserveCapacity(size)
            for i in 0..<size {
                var k = start + examined + i
                if k >= total { k -= total }
                batch.append(order[k])
            }
            var verdicts = FilterVerdicts(count: size)
            for f in filters { f.filterAll(pod, batch, snapshot, state, into: &verdicts) }
            // The rejected nodes matter only when none fits (the failure message, preemption).
            if verdicts.failures.count < size {
                recordRejected = false
                rejected = []
            }
            for j in 0..<size {
                if !verdicts.isRejected(j) {
                    feasible.append(batch[j])
                } else if recordRejected {
                    rejected.append(NodeEvaluation(node: batch[j], failure: verdicts.failure(j)))
                }
            }
            examined += size
        }
        advanceNextStart(by: examined)
        if feasible.isEmpty { rejected += excluded(from: state) }
        return (feasible, rejected)
    }

    /// PreScore, Score and NormalizeScore of every plugin: the weighted totals, and with
    /// `recordScores` each plugin's normalised scores per node (for explain).
    func prioritize(
        _ pod: SimPod, _ feasible: [Int], _ profile: SchedulerProfile, _ snapshot: SchedulingContext,
        _ state: CycleState, recordScores: Bool = false
    ) -> (totals: [Int64], scores: [[String: Int64]]) {
        var totals = [Int64](repeating: 0, count: feasible.count)
        var recorded = recordScores ? [[String: Int64]](repeating: [:], count: feasible.count) : []
        var scores = [Int64](repeating: 0, count: feasible.count)
        for (plugin, weight) in profile.scorers {
            guard plugin.preScore(pod, feasible, snapshot, state) else { state.skipped.insert(plugin.name); continue }
            plugin.score(pod, feasible, snapshot, state, into: &scores)
            plugin.normalize(&scores, feasible, state)
            for i in totals.indices { totals[i] += scores[i] * weight }
            if recordScores { for i in recorded.indices { recorded[i][plugin.name] = scores[i] } }
        }
        return (totals, recorded)
    }

    /// `selectHost`: the highest total; ties by reservoir sampling on `stream`.
    static func selectHost(_ feasible: [Int], _ totals: [Int64], drawingFrom stream: inout RandomStream) -> Int {
        var selected = 0, maxScore = Int64.min, count = 0
        for (i, total) in totals.enumerated() {
            if total > maxScore {
                maxScore = total; selected = i; count = 1
            } else if total == maxScore {
                count += 1
                if stream.next() % UInt64(count) == 0 { selected = i }
            }
        }
        return feasible[selected]
    }

    /// `FitError.Error()`: "0/7 nodes are available: 3 Insufficient cpu, 4 node(s) had
    /// untolerated taint {…}." — a histogram of the reasons, sorted as strings; a PreFilter
    /// rejection (the same for every node) is its message alone.
    func fitErrorMessage(_ evaluations: [NodeEvaluation]) -> String {
        if let failure = evaluations.first?.failure, failure.atPreFilter {
            return "0/\(nodeOrder.count) nodes are available: " + failure.reasons.joined(separator: ", ") + "."
        }
        var histogram: [String: Int] = [:]
        for e in evaluations { for r in e.failure?.reasons ?? [] { histogram[r, default: 0] += 1 } }
        let parts = histogram.map { "\($0.value) \($0.key)" }.sorted()
        return "0/\(nodeOrder.count) nodes are available: " + parts.joined(separator: ", ") + "."
    }
}

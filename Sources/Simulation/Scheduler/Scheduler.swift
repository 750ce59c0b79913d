import HeapModule
import KubeModel
import SimKernel

struct SchedulerState {
    /// Pods waiting for a scheduling attempt.
    var active: Set<Int> = []
    /// Per pod: failed attempts and when the last one was (the queue's QueuedPodInfo).
    var attempts: [Int: (count: Int, last: SimTime)] = [:]
    /// The active pods in PrioritySort order, and those found in backoff by their expiry:
    /// a cycle takes the first ready pod in O(log n) instead of scanning every active pod.
    /// Entries are checked against `active` when they come out (duplicates and pods that
    /// left are skipped), so the choice is the one the scan made.
    var queue = Heap<QueueEntry>()
    var backoffQueue = Heap<BackoffEntry>()
    /// Pods with pod (anti-)affinity, for InterPodAffinity.
    var affinityIndex = AffinityPodIndex()
    /// Matching pods per node and selector, for PodTopologySpread.
    var matchCounts = MatchCountIndex()
    /// Node label values as indices, per label key.
    var nodeDomains: [String: NodeDomains] = [:]
    /// Per image, which nodes hold it, for ImageLocality.
    var imagePresence: [String: ImagePresence] = [:]
    /// Per node, its fields map for node selector terms (`nodeFields()`).
    var nodeFields: [[String: String]] = []
    /// Per node, its allocatable cpu, memory and pods (`nodeCapacities()`).
    var nodeCapacity: [NodeCapacity] = []
    /// Pods that failed, with kube-scheduler's message, until a cluster event moves them back.
    var unschedulable: [Int: String] = [:]
    /// The last failure message of every pod that failed at least once.
    var lastFailure: [Int: String] = [:]
    var cyclePending = false
    var flushPending = false
    var profiles: [SchedulerProfile] = [SchedulerProfile.default]
    /// Where the next search for feasible nodes starts (rotates over all nodes).
    var nextStartNodeIndex = 0
    /// Node → pods nominated there by preemption, waiting for their victims to go.
    var nominated: [Int: Set<Int>] = [:]
}

/// One node's verdict in a scheduling decision.
struct NodeEvaluation {
    let node: Int
    var failure: FilterFailure?
    /// Per plugin, after its own normalisation and before weighting (filled for explain only).
    var scores: [String: Int64] = [:]
    var total: Int64 = 0
}

/// kube-scheduler's scheduling cycle (pkg/scheduler/schedule_one.go): PrioritySort queue
/// with per-pod backoff; PreFilter and Filter over the nodes from a rotating start index
/// until `numFeasibleNodesToFind` fit; PreScore/Score/NormalizeScore weighted per profile;
/// the best total wins, ties at random; a pod that fits nowhere tries preemption and waits
/// in the unschedulable set until the cluster changes (or 5 minutes pass).
extension ClusterSimulation {
    func enqueueForScheduling(_ id: Int) {
        scheduler.active.insert(id)
        pushQueueEntry(id)
        scheduleCycle(after: params.apiLatency)
    }

    func scheduleCycle(after delay: SimTime) {
        guard !scheduler.cyclePending else { return }
        scheduler.cyclePending = true
        engine.schedule(.scheduler(.cycle), after: delay)
    }

    /// When pod `id`'s backoff after its failed attempts ends.
    func backoffExpiry(_ id: Int) -> SimTime {
        guard let a = scheduler.attempts[id] else { return .zero }
        return a.last + backoff(a.count)
    }

    /// Backoff after `attempts` failures: podInitialBackoff doubling up to podMaxBackoff.
    func backoff(_ attempts: Int) -> SimTime {
        guard attempts > 0 else { return .zero }
        var b = params.podInitialBackoff
        for _ in 1..<attempts where b < params.podMaxBackoff { b = b * 2 }
        return min(b, params.podMaxBackoff)
    }

    func schedulingCycle() {
        scheduler.cyclePending = false
        // PrioritySort: higher priority first, then earlier creation, then id; the first
        // active pod in that order whose backoff has expired.
        while let top = scheduler.backoffQueue.min, top.readyAt <= now {
            scheduler.backoffQueue.removeMin()
            scheduler.queue.insert(top.entry)
        }
        var best: SimPod? = nil
        while let e = scheduler.queue.min {
            scheduler.queue.removeMin()
            guard scheduler.active.contains(e.id), let p = pods[e.id] else { continue }
            let readyAt = backoffExpiry(p.id)
            if readyAt > now { scheduler.backoffQueue.insert(BackoffEntry(readyAt: readyAt, entry: e)); continue }
            best = p
            break
        }
        guard let pod = best else {
            scheduler.active = scheduler.active.filter { pods[$0] != nil }
            // The earliest expiry among the active pods in backoff.
            var earliestBackoff: SimTime? = nil
            while let top = scheduler.backoffQueue.min {
                if scheduler.active.contains(top.entry.id), let p = pods[top.entry.id] {
                    let readyAt = backoffExpiry(p.id)
                    if readyAt == top.readyAt { earliestBackoff = readyAt; break }
                    scheduler.backoffQueue.removeMin()
                    scheduler.backoffQueue.insert(BackoffEntry(readyAt: readyAt, entry: top.entry))
                } else {
                    scheduler.backoffQueue.removeMin()
                }
            }
            if let t = earliestBackoff { scheduleCycle(after: t - now) }
            return
        }
        scheduler.active.remove(pod.id)
        schedulePod(pod)
        if !scheduler.active.isEmpty { scheduleCycle(after: params.schedulingCycle) }
    }

    func pushQueueEntry(_ id: Int) {
        guard let p = pods[id] else { return }
        scheduler.queue.insert(QueueEntry(priority: p.priority, created: p.created, id: id))
    }

    func profile(for pod: SimPod) -> SchedulerProfile? {
        scheduler.profiles.first { $0.schedulerName == pod.spec.schedulerName }
    }

    func schedulePod(_ pod: SimPod) {
        // The SchedulingGates PreEnqueue plugin keeps a gated pod out of the active queue
        // (pkg/scheduler/framework/plugins/schedulinggates `PreEnqueue`); the API server set its
        // PodScheduled condition (pkg/registry/core/pod/strategy.go `applySchedulingGatedCondition`).
        if !pod.spec.schedulingGates.isEmpty {
            let gates = pod.spec.schedulingGates.joined(separator: " ")
            markUnschedulable(
                pod.id,
                reason:
                    "SchedulingGated: Scheduling is blocked due to non-empty scheduling gates (waiting for scheduling gates: [\(gates)])"
            )
            return
        }
        guard let profile = profile(for: pod) else {
            // kube-scheduler ignores pods for other schedulers; they stay Pending.
            markUnschedulable(pod.id, reason: "no scheduler profile named \"\(pod.spec.schedulerName)\"")
            return
        }
        let (chosen, evaluations) = place(pod, profile)
        if let chosen {
            if let failure = volumeBindingPreBindFailure(pod) {
                markUnschedulable(pod.id, reason: failure)
                componentEvents?(.failedScheduling(pod: pod.id, message: failure))
                return
            }
            clearNomination(pod.id)
            bindPod(pod.id, node: chosen)
            return
        }
        var message = fitErrorMessage(evaluations)
        if profile.preemption, let outcome = preempt(pod, profile, evaluations) {
            message += " " + outcome
        }
        markUnschedulable(pod.id, reason: message)
        // handleSchedulingFailure posts the FitError as a Warning (gated pods and pods for
        // other schedulers never reach a cycle, so they get none).
        componentEvents?(.failedScheduling(pod: pod.id, message: message))
    }

    /// The scheduling decision: the chosen node, or nil and every node's verdict. The cycle's
    /// snapshot of the nodes ends here, before the binding changes them (else the whole
    /// array would be copied).
    func place(_ pod: SimPod, _ profile: SchedulerProfile) -> (Int?, [NodeEvaluation]) {
        var ctx = SchedulingContext(sim: self)
        ctx.adjusted = nominatedUsage(for: pod, ctx)
        let state = CycleState()
        if let failure = runPreFilters(pod, profile, ctx, state) {
            return (nil, schedulerNodeOrder.map { NodeEvaluation(node: $0, failure: failure) })
        }
        let (feasible, rejected) = findFeasibleNodes(pod, profile, ctx, state)
        if feasible.isEmpty { return (nil, rejected) }
        if feasible.count == 1 { return (feasible[0], []) }
        return (selectHost(feasible, prioritize(pod, feasible, profile, ctx, state).totals), [])
    }

    /// Filters stop at the first plugin that rejects the node.
    func runFilters(
        _ pod: SimPod, _ node: Int, _ profile: SchedulerProfile, _ ctx: SchedulingContext,
        _ state: CycleState
    ) -> FilterFailure? {
        for f in state.activeFilters ?? profile.filters {
            if var failure = f.filter(pod, node, ctx, state) { failure.plugin = f.name; return failure }
        }
        return nil
    }

    /// Pods nominated to a node by preemption, of at least this pod's priority, count as
    /// already there (`addGENominatedPods`), so the freed room is not taken by others.
    func nominatedUsage(for pod: SimPod, _ ctx: SchedulingContext) -> [Int: NodeUsage] {
        var result: [Int: NodeUsage] = [:]
        for (n, ids) in scheduler.nominated where !ids.isEmpty {
            var u = ctx.usage(n)
            for id in ids where id != pod.id {
                guard let p = pods[id], p.priority >= pod.priority else { continue }
                u.requested.add(p.requests)
                u.nonZeroRequested.add(p.nonZeroRequests)
            }
            result[n] = u
        }
        return result
    }

    /// `findNodesThatFitPod` and `findNodesThatPassFilters`: from the rotating start index
    /// until enough nodes fit, over the nodes PreFilter left (all, or a `PreFilterResult`'s).
    /// The feasible nodes in search order, and when there are none the rejected ones with
    /// their failures (the nodes PreFilter left out among them). The start index moves on by
    /// the nodes examined, modulo all the nodes (kubernetes#124933: a DaemonSet pod, narrowed
    /// to its node, moves it by one).
    func findFeasibleNodes(
        _ pod: SimPod, _ profile: SchedulerProfile, _ ctx: SchedulingContext,
        _ state: CycleState
    ) -> (feasible: [Int], rejected: [NodeEvaluation]) {
        let allNodes = schedulerNodeOrder.count
        let order = state.eligibleNodes ?? schedulerNodeOrder
        let total = order.count
        guard total > 0 else { return ([], excluded(from: state)) }
        let toFind = Framework.numFeasibleNodesToFind(total, percentage: profile.percentageOfNodesToScore ?? 0)
        var feasible: [Int] = [], rejected: [NodeEvaluation] = []
        feasible.reserveCapacity(toFind)
        let filters = state.activeFilters ?? profile.filters
        let start = scheduler.nextStartNodeIndex % total
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
            for f in filters { f.filterAll(pod, batch, ctx, state, into: &verdicts) }
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
        scheduler.nextStartNodeIndex = (scheduler.nextStartNodeIndex + examined) % allNodes
        if feasible.isEmpty { rejected += excluded(from: state) }
        return (feasible, rejected)
    }

    /// PreScore, Score and NormalizeScore of every plugin: the weighted totals, and with
    /// `recordScores` each plugin's normalised scores per node (for explain).
    func prioritize(
        _ pod: SimPod, _ feasible: [Int], _ profile: SchedulerProfile, _ ctx: SchedulingContext,
        _ state: CycleState, recordScores: Bool = false
    ) -> (totals: [Int64], scores: [[String: Int64]]) {
        var totals = [Int64](repeating: 0, count: feasible.count)
        var recorded = recordScores ? [[String: Int64]](repeating: [:], count: feasible.count) : []
        var scores = [Int64](repeating: 0, count: feasible.count)
        for (plugin, weight) in profile.scorers {
            guard plugin.preScore(pod, feasible, ctx, state) else { state.skipped.insert(plugin.name); continue }
            plugin.score(pod, feasible, ctx, state, into: &scores)
            plugin.normalize(&scores, feasible, state)
            for i in totals.indices { totals[i] += scores[i] * weight }
            if recordScores { for i in recorded.indices { recorded[i][plugin.name] = scores[i] } }
        }
        return (totals, recorded)
    }

    /// `selectHost`: the highest total; ties by reservoir sampling on the tie-break stream.
    func selectHost(_ feasible: [Int], _ totals: [Int64]) -> Int {
        var selected = 0, maxScore = Int64.min, count = 0
        for (i, total) in totals.enumerated() {
            if total > maxScore {
                maxScore = total; selected = i; count = 1
            } else if total == maxScore {
                count += 1
                if tieBreak.next() % UInt64(count) == 0 { selected = i }
            }
        }
        return feasible[selected]
    }

    /// `FitError.Error()`: "0/7 nodes are available: 3 Insufficient cpu, 4 node(s) had
    /// untolerated taint {…}." — a histogram of the reasons, sorted as strings; a PreFilter
    /// rejection (the same for every node) is its message alone.
    func fitErrorMessage(_ evaluations: [NodeEvaluation]) -> String {
        if let failure = evaluations.first?.failure, failure.atPreFilter {
            return "0/\(schedulerNodeOrder.count) nodes are available: " + failure.reasons.joined(separator: ", ") + "."
        }
        var histogram: [String: Int] = [:]
        for e in evaluations { for r in e.failure?.reasons ?? [] { histogram[r, default: 0] += 1 } }
        let parts = histogram.map { "\($0.value) \($0.key)" }.sorted()
        return "0/\(schedulerNodeOrder.count) nodes are available: " + parts.joined(separator: ", ") + "."
    }

    func markUnschedulable(_ id: Int, reason: String) {
        guard pods[id] != nil else { return }
        scheduler.attempts[id] = ((scheduler.attempts[id]?.count ?? 0) + 1, now)
        scheduler.unschedulable[id] = reason
        scheduler.lastFailure[id] = reason
        if !scheduler.flushPending {
            scheduler.flushPending = true
            engine.schedule(.scheduler(.flushUnschedulable), after: params.podMaxInUnschedulablePodsDuration)
        }
    }

    func unschedulablePodGone(_ id: Int) {
        scheduler.unschedulable[id] = nil
        scheduler.lastFailure[id] = nil
        scheduler.active.remove(id)
        clearNomination(id)
    }

    func clearNomination(_ id: Int) {
        guard let n = pods[id]?.nominatedNode else { return }
        scheduler.nominated[n]?.remove(id)
        store.update(pod: id) { $0.nominatedNode = nil }
    }

    /// Moves unschedulable pods back to the active queue (their backoff still applies).
    func flushUnschedulable(periodic: Bool) {
        if periodic { scheduler.flushPending = false }
        guard !scheduler.unschedulable.isEmpty else { return }
        for id in scheduler.unschedulable.keys.sorted() where pods[id] != nil {
            scheduler.active.insert(id)
            pushQueueEntry(id)
        }
        scheduler.unschedulable.removeAll()
        scheduleCycle(after: params.apiLatency)
    }

    /// The DaemonSet controller's `nodeShouldRunDaemonPod` and friends reuse the NodeAffinity check.
    func nodeMatchesAffinity(_ spec: PodSpec, node n: Int) -> Bool {
        NodeAffinityPlugin.matches(spec, nodes[n])
    }

    /// Pods still waiting for a node at the end, with kube-scheduler's last message.
    func pendingPods() -> [(key: String, reason: String)] {
        pods.values.filter { $0.node == nil && !$0.isTerminating }.sorted { $0.id < $1.id }.map {
            ($0.key, scheduler.lastFailure[$0.id] ?? "waiting for a scheduling attempt")
        }
    }

    /// The cache's node tree order: zones in order of first appearance, interleaved.
    static func zoneInterleavedOrder(_ nodes: [SimNode]) -> [Int] {
        var zones: [Int: [Int]] = [:]
        var zoneOrder: [Int] = []
        for n in nodes {
            if zones[n.zone] == nil { zoneOrder.append(n.zone) }
            zones[n.zone, default: []].append(n.index)
        }
        var result: [Int] = []
        var i = 0
        while result.count < nodes.count {
            for z in zoneOrder {
                if let inZone = zones[z], i < inZone.count { result.append(inZone[i]) }
            }
            i += 1
        }
        return result
    }
}

/// A pod in the scheduling queue, ordered as PrioritySort orders them.
struct QueueEntry: Comparable {
    let priority: Int32
    let created: SimTime
    let id: Int
    static func < (a: QueueEntry, b: QueueEntry) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.created != b.created { return a.created < b.created }
        return a.id < b.id
    }
}

/// A pod found in backoff, by when it expires.
struct BackoffEntry: Comparable {
    let readyAt: SimTime
    let entry: QueueEntry
    static func < (a: BackoffEntry, b: BackoffEntry) -> Bool {
        a.readyAt != b.readyAt ? a.readyAt < b.readyAt : a.entry < b.entry
    }
    static func == (a: BackoffEntry, b: BackoffEntry) -> Bool { a.readyAt == b.readyAt && a.entry == b.entry }
}

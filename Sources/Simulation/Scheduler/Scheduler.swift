import HeapModule
import KubeModel
import SimKernel

/// kube-scheduler (pkg/scheduler): its scheduling queue (pkg/scheduler/backend/queue
/// `PriorityQueue`: PrioritySort active queue, per-pod backoff, the unschedulable pods until a
/// cluster event or `flushUnschedulablePodsLeftover` moves them back), its node tree, the pods
/// nominated by preemption, and the scheduling cycle (SchedulingCycle.swift, Preemption.swift).
///
/// It owns that state and changes the cluster only through its context.
final class KubeScheduler {
    /// Pods waiting for a scheduling attempt.
    private(set) var active: Set<PodID> = []
    /// Per pod: failed attempts and when the last one was (the queue's QueuedPodInfo).
    private var attempts: [PodID: (count: Int, last: SimTime)] = [:]
    /// The active pods in PrioritySort order, and those found in backoff by their expiry: a cycle
    /// takes the first ready pod in O(log n) instead of scanning every active pod.
    ///
    /// Entries are checked against `active` when they come out (duplicates and pods that left are
    /// skipped), so the choice is the one the scan made.
    private var queue = Heap<QueueEntry>()
    private var backoffQueue = Heap<BackoffEntry>()
    /// Pods that failed, with kube-scheduler's message, until a cluster event moves them back.
    private(set) var unschedulable: [PodID: String] = [:]
    /// The last failure message of every pod that failed at least once.
    private var lastFailures: [PodID: String] = [:]
    private var cyclePending = false
    private var flushPending = false
    private(set) var profiles: [SchedulerProfile]
    /// Where the next search for feasible nodes starts (rotates over all nodes).
    private(set) var nextStartNodeIndex = 0
    /// Node → pods nominated there by preemption, waiting for their victims to go.
    private(set) var nominated: [Int: Set<PodID>] = [:]
    /// The cache's node tree order (zones interleaved), without deleted nodes.
    private(set) var nodeOrder: [Int] = []
    /// selectHost's tie-breaks, drawn in cycle order.
    private var tieBreak: RandomStream

    init(profiles: [SchedulerProfile], tieBreak: RandomStream) {
        self.profiles = profiles
        self.tieBreak = tieBreak
    }

    func handle<C: SchedulerContext>(_ event: SchedulerEvent, in ctx: C) {
        switch event {
        case .cycle: cycle(in: ctx)
        case .flushUnschedulable:
            flushPending = false
            moveAllToActiveQueue(in: ctx)
        }
    }

    /// kube-scheduler's last message for a pod that failed at least once.
    func lastFailure(_ id: PodID) -> String? { lastFailures[id] }

    // MARK: The queue's event handlers

    /// A pod without a node was created (the informer's `addPodToSchedulingQueue`).
    func enqueue<C: SchedulerContext>(_ id: PodID, in ctx: C) {
        active.insert(id)
        pushQueueEntry(id, ctx)
        scheduleCycle(after: ctx.params.apiLatency, ctx)
    }

    /// Moves the unschedulable pods back to the active queue (their backoff still applies):
    /// `MoveAllToActiveOrBackoffQueue` on a cluster event, and the periodic flush.
    func moveAllToActiveQueue<C: SchedulerContext>(in ctx: C) {
        guard !unschedulable.isEmpty else { return }
        for id in unschedulable.keys.sorted() where ctx.pods[id] != nil {
            active.insert(id)
            pushQueueEntry(id, ctx)
        }
        unschedulable.removeAll()
        scheduleCycle(after: ctx.params.apiLatency, ctx)
    }

    /// The pod is being deleted: it leaves the queue and its nomination.
    func podGone<C: SchedulerContext>(_ id: PodID, in ctx: C) {
        unschedulable[id] = nil
        lastFailures[id] = nil
        active.remove(id)
        clearNomination(id, ctx)
    }

    /// The pod object is gone: its backoff is forgotten.
    func podRemoved(_ id: PodID) { attempts[id] = nil }

    /// The node tree loses a deleted node.
    func nodeDeleted(_ n: Int) { nodeOrder.removeAll { $0 == n } }

    /// The node tree is rebuilt over the nodes that are not deleted (a node registered).
    func rebuildNodeTree(_ nodes: [SimNode]) {
        nodeOrder = KubeScheduler.zoneInterleavedOrder(nodes.filter { !$0.deleted })
    }

    /// A benchmark dropped a queued cycle event to run the cycles itself.
    func cycleEventDropped() { cyclePending = false }

    /// Tests start the search for feasible nodes where they want to check the rotation.
    func startNextSearch(at index: Int) { nextStartNodeIndex = index }

    // MARK: The cycle's state (the steps are in SchedulingCycle.swift and Preemption.swift)

    /// `findNodesThatFitPod` moves the start index on by the nodes it examined, modulo all
    /// the nodes.
    func advanceNextStart(by examined: Int) {
        nextStartNodeIndex = (nextStartNodeIndex + examined) % nodeOrder.count
    }

    /// Preemption nominated the node for the pod.
    func nominate(_ id: PodID, on n: Int) { nominated[n, default: []].insert(id) }

    /// `selectHost` on the run's tie-break stream.
    func selectHost(_ feasible: [Int], _ totals: [Int64]) -> Int {
        KubeScheduler.selectHost(feasible, totals, drawingFrom: &tieBreak)
    }

    // MARK: The queue

    private func scheduleCycle<C: SchedulerContext>(after delay: SimTime, _ ctx: C) {
        guard !cyclePending else { return }
        cyclePending = true
        ctx.schedule(.cycle, after: delay)
    }

    /// When pod `id`'s backoff after its failed attempts ends.
    private func backoffExpiry<C: SchedulerContext>(_ id: PodID, _ ctx: C) -> SimTime {
        guard let a = attempts[id] else { return .zero }
        return a.last
            + KubeScheduler.backoff(
                afterAttempts: a.count, initial: ctx.params.podInitialBackoff, max: ctx.params.podMaxBackoff)
    }

    /// Backoff after `attempts` failures: the initial backoff doubling up to the maximum
    /// (the queue's `calculateBackoffDuration`).
    static func backoff(afterAttempts attempts: Int, initial: SimTime, max maximum: SimTime) -> SimTime {
        guard attempts > 0 else { return .zero }
        var b = initial
        for _ in 1..<attempts where b < maximum { b = b * 2 }
        return min(b, maximum)
    }

    private func cycle<C: SchedulerContext>(in ctx: C) {
        cyclePending = false
        let now = ctx.now
        // PrioritySort: higher priority first, then earlier creation, then id; the first
        // active pod in that order whose backoff has expired.
        while let top = backoffQueue.min, top.readyAt <= now {
            backoffQueue.removeMin()
            queue.insert(top.entry)
        }
        var best: SimPod? = nil
        while let e = queue.min {
            queue.removeMin()
            guard active.contains(e.id), let p = ctx.pods[e.id] else { continue }
            let readyAt = backoffExpiry(p.id, ctx)
            if readyAt > now { backoffQueue.insert(BackoffEntry(readyAt: readyAt, entry: e)); continue }
            best = p
            break
        }
        guard let pod = best else {
            active = active.filter { ctx.pods[$0] != nil }
            if let t = earliestBackoff(ctx) { scheduleCycle(after: t - now, ctx) }
            return
        }
        active.remove(pod.id)
        schedulePod(pod, in: ctx)
        if !active.isEmpty { scheduleCycle(after: ctx.params.schedulingCycle, ctx) }
    }

    /// The earliest expiry among the active pods in backoff (stale entries refreshed or dropped).
    private func earliestBackoff<C: SchedulerContext>(_ ctx: C) -> SimTime? {
        while let top = backoffQueue.min {
            if active.contains(top.entry.id), let p = ctx.pods[top.entry.id] {
                let readyAt = backoffExpiry(p.id, ctx)
                if readyAt == top.readyAt { return readyAt }
                backoffQueue.removeMin()
                backoffQueue.insert(BackoffEntry(readyAt: readyAt, entry: top.entry))
            } else {
                backoffQueue.removeMin()
            }
        }
        return nil
    }

    private func pushQueueEntry<C: SchedulerContext>(_ id: PodID, _ ctx: C) {
        guard let p = ctx.pods[id] else { return }
        queue.insert(QueueEntry(priority: p.priority, created: p.created, id: id))
    }

    func profile(for pod: SimPod) -> SchedulerProfile? {
        profiles.first { $0.schedulerName == pod.spec.schedulerName }
    }

    /// The attempt failed: the pod waits among the unschedulable ones, in backoff.
    func markUnschedulable<C: SchedulerContext>(_ id: PodID, reason: String, in ctx: C) {
        guard ctx.pods[id] != nil else { return }
        attempts[id] = ((attempts[id]?.count ?? 0) + 1, ctx.now)
        unschedulable[id] = reason
        lastFailures[id] = reason
        if !flushPending {
            flushPending = true
            ctx.schedule(.flushUnschedulable, after: ctx.params.podMaxInUnschedulablePodsDuration)
        }
    }

    func clearNomination<C: SchedulerContext>(_ id: PodID, _ ctx: C) {
        guard let n = ctx.pods[id]?.nominatedNode else { return }
        nominated[n]?.remove(id)
        ctx.setNominatedNode(id, nil)
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
    let id: PodID
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

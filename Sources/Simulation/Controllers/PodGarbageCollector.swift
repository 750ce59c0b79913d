import KubeModel
import SimKernel

/// The pod garbage collector's events.
enum PodGCEvent: Equatable {
    /// A `gcCheckPeriod` tick with work to do.
    case pass
}

/// What the pod garbage collector uses of the cluster: the store to read, the clock, its
/// settings, the event queue, and force deletion.
protocol PodGCContext: AnyObject {
    var now: SimTime { get }
    var pods: [PodID: SimPod] { get }
    var nodes: [SimNode] { get }
    var storageSettings: StorageSpec { get }
    func schedule(_ event: PodGCEvent, at time: SimTime)
    /// The pass grid's phase in [0, 1), drawn once from the controller-manager's own stream.
    func podGCPhase() -> Double
    /// `kubectl delete pod --force --grace-period=0`: the object goes now.
    func forceDelete(_ id: PodID, why: String)
}

/// The pod garbage collector (kubernetes pkg/controller/podgc `gc`), every `gcCheckPeriod` (20 s)
/// on its own grid: force-deletes pods bound to a Node that no longer exists — the first pass that
/// finds the Node missing puts it in quarantine (`gcOrphaned`, `quarantineTime` 40 s) and the first
/// pass after that deletes its pods, so they go 40–60 s after the Node — and Terminating pods on a
/// NotReady node tainted `node.kubernetes.io/out-of-service` (NodeOutOfServiceVolumeDetach).
///
/// Force deletion removes the object at once, without waiting for the kubelet. Passes that find
/// nothing to do are not simulated: the store's node watcher wakes the collector when a Node is
/// deleted or tainted out of service.
final class PodGarbageCollector {
    private var pending = false
    private var grid: TickGrid?
    /// When a pass first found each deleted Node missing (the start of its pods' quarantine).
    private(set) var quarantined: [Int: SimTime] = [:]

    func handle(_ event: PodGCEvent, in ctx: PodGCContext) {
        switch event {
        case .pass: pass(in: ctx)
        }
    }

    /// The node watcher: a Node deleted or tainted out of service gives the next pass work;
    /// a Node registered again leaves quarantine.
    func nodeChanged(_ change: NodeChange, in ctx: PodGCContext) {
        if change.old.deleted, !change.new.deleted { quarantined[change.node] = nil }
        if !change.old.deleted, change.new.deleted { schedulePass(in: ctx) }
        if !change.old.outOfService, change.new.outOfService { schedulePass(in: ctx) }
    }

    private func schedulePass(in ctx: PodGCContext) {
        guard !pending else { return }
        pending = true
        let period = ctx.storageSettings.podGCPeriod
        let passes =
            grid ?? TickGrid(start: SimTime(microseconds: Int64(ctx.podGCPhase() * Double(period.microseconds))), period: period)
        grid = passes
        ctx.schedule(.pass, at: passes.next(atOrAfter: ctx.now + SimTime(microseconds: 1)))
    }

    private func pass(in ctx: PodGCContext) {
        pending = false
        var again = false
        for n in ctx.nodes.indices {
            let node = ctx.nodes[n]
            if node.deleted, quarantined[n] == nil { quarantined[n] = ctx.now }
            for id in node.pods.sorted() {
                guard let p = ctx.pods[id] else { continue }
                if node.deleted {
                    if let since = quarantined[n], ctx.now >= since + ctx.storageSettings.orphanPodQuarantine {
                        ctx.forceDelete(id, why: "PodGC: bound to deleted Node \(node.name)")
                    } else {
                        again = true
                    }
                } else if node.outOfService && node.ready != .isTrue && p.isTerminating {
                    ctx.forceDelete(id, why: "PodGC: Terminating on out-of-service node \(node.name)")
                }
            }
        }
        if again { schedulePass(in: ctx) }
    }
}

extension ClusterSimulation: PodGCContext {
    var storageSettings: StorageSpec { spec.storage }

    func schedule(_ event: PodGCEvent, at time: SimTime) {
        engine.schedule(.podGC(event), at: time)
    }

    func podGCPhase() -> Double {
        var rng = streams.stream("kube-controller-manager", "podgc-phase")
        return rng.nextUnit()
    }

    func forceDelete(_ id: PodID, why: String) {
        guard let p = pods[id] else { return }
        // podgc gc_controller.go `markFailedAndDeletePodWithCondition`.
        if !p.isTerminating { deletePod(id, reason: why, disruptionTarget: "DeletionByPodGC") }
        removePod(id)
        if let n = p.node { faultTimelines.nodeMilestone(.podsForceDeleted, onNode: n, why, at: now) }
    }
}

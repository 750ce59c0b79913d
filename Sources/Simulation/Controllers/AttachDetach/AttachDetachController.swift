import KubeModel
import SimKernel

/// The attach/detach controller's events.
enum AttachDetachEvent: Equatable {
    /// The cloud's attach call for a volume finished.
    case attached(volume: Int, node: Int)
    /// The cloud's detach call for a volume finished.
    case detached(volume: Int, node: Int)
    /// A forced detach falls due (`maxWaitForUnmountDuration` after it was first wanted).
    case reconcile
}

/// Where a volume is attached, as the controller's actual state of the world holds it (the
/// VolumeAttachment's status).
struct VolumeAttachment {
    var attachedTo: Int?
    var attaching: Int?
    var detaching = false
    /// When the controller first wanted it off its node.
    var detachRequestedAt: SimTime?
}

/// What the attach/detach controller uses of the cluster: the store to read, the volumes
/// and which of them a pod claims, the clock and event queue, the kubelet it lets go on with
/// a pod once its volumes are there, and the milestones it files.
protocol AttachDetachContext: AnyObject {
    var now: SimTime { get }
    var pods: [PodID: SimPod] { get }
    var nodes: [SimNode] { get }
    var volumes: [SimVolume] { get }
    /// The volumes bound to the pod's claims.
    func claimedVolumes(of pod: SimPod) -> [Int]
    func schedule(_ event: AttachDetachEvent, at time: SimTime)
    /// The kubelet goes on with a pod that waited for its volumes.
    func volumesAttached(pod id: PodID)
    func attachDetachMultiAttach(_ v: Int, wantedOn n: Int, attachedTo other: Int)
    func attachDetachDetaching(_ v: Int, node n: Int, _ mechanism: String)
}

/// The attach/detach controller (pkg/controller/volume/attachdetach): a volume leaves the desired
/// state of its node when no pod there uses it any more — a pod that is gone, or terminated
/// (`IsPodTerminated`: deleted and its containers reported not running).
///
/// A pod Terminating on an unreachable node still reports running containers, so its volume stays.
/// Once undesired, the volume is detached when the node is healthy (the kubelet unmounted it), at
/// once when the node carries the out-of-service taint, and otherwise forcibly
/// `maxWaitForUnmountDuration` (6 min) after the detach was first wanted (reconciler/reconciler.go
/// `reconcile`). The store's watchers run the reconciler when a pod is deleted or a node's
/// readiness, deletion or out-of-service taint changes.
final class AttachDetachController {
    let maxWaitForUnmountDuration: SimTime
    /// Per volume id; volumes created since the last look have no entry yet.
    private(set) var attachments: [VolumeAttachment] = []
    /// Volume → pods waiting for it to be attached to their node.
    private var waiters: [Int: Set<PodID>] = [:]

    init(maxWaitForUnmountDuration: SimTime) { self.maxWaitForUnmountDuration = maxWaitForUnmountDuration }

    func handle(_ event: AttachDetachEvent, in ctx: AttachDetachContext) {
        switch event {
        case .attached(let v, let n): attachFinished(v, node: n, in: ctx)
        case .detached(let v, let n): detachFinished(v, node: n, in: ctx)
        case .reconcile: reconcile(in: ctx)
        }
    }

    func attachment(_ v: Int) -> VolumeAttachment { v < attachments.count ? attachments[v] : VolumeAttachment() }

    /// Attachable volumes attached or attaching to node `n` (NodeVolumeLimits counts them).
    func attachedCount(on n: Int, volumes: [SimVolume]) -> Int {
        attachments.indices.filter { v in
            volumes[v].storageClass.attachable && (attachments[v].attachedTo == n || attachments[v].attaching == n)
        }.count
    }

    /// The kubelet waits for the pod's volumes: the free ones are attached to node `n`.
    ///
    /// True when every attachable volume of the pod is attached there already.
    func requestAttach(_ pod: SimPod, on n: Int, in ctx: AttachDetachContext) -> Bool {
        let volumes = ctx.volumes
        let needed = ctx.claimedVolumes(of: pod).filter { v in
            volumes[v].storageClass.attachable && attachment(v).attachedTo != n
        }
        guard !needed.isEmpty else { return true }
        grow(to: volumes.count)
        for v in needed {
            waiters[v, default: []].insert(pod.id)
            if attachments[v].attachedTo == nil, attachments[v].attaching == nil {
                attachments[v].attaching = n
                ctx.schedule(.attached(volume: v, node: n), at: ctx.now + volumes[v].storageClass.attachTime)
            } else if let other = attachments[v].attachedTo, other != n, volumes[v].singleNode {
                ctx.attachDetachMultiAttach(v, wantedOn: n, attachedTo: other)
            }
        }
        return false
    }

    /// The reconciler: detach what is no longer desired, as soon as it is safe or forced.
    func reconcile(in ctx: AttachDetachContext) {
        for v in attachments.indices {
            guard let n = attachments[v].attachedTo, !attachments[v].detaching else { continue }
            if volumeDesired(v, on: n, in: ctx) { attachments[v].detachRequestedAt = nil; continue }
            let requested = attachments[v].detachRequestedAt ?? ctx.now
            attachments[v].detachRequestedAt = requested
            let node = ctx.nodes[n]
            let healthy = node.up && node.ready == .isTrue && !node.deleted
            let deadline = requested + maxWaitForUnmountDuration
            if healthy || node.outOfService || ctx.now >= deadline {
                attachments[v].detaching = true
                let how =
                    healthy
                    ? "detached after the kubelet unmounted it"
                    : node.outOfService
                        ? "force-detached at once: node.kubernetes.io/out-of-service taint"
                        : "force-detached: maxWaitForUnmountDuration 6 min since the detach was first wanted at \(requested) with the node unhealthy"
                ctx.schedule(.detached(volume: v, node: n), at: ctx.now + ctx.volumes[v].storageClass.detachTime)
                ctx.attachDetachDetaching(v, node: n, how)
            } else {
                ctx.schedule(.reconcile, at: deadline)
            }
        }
    }

    private func attachFinished(_ v: Int, node n: Int, in ctx: AttachDetachContext) {
        guard attachment(v).attaching == n else { return }
        attachments[v].attaching = nil
        attachments[v].attachedTo = n
        attachments[v].detachRequestedAt = nil
        wakeWaiters(v, in: ctx)
    }

    private func detachFinished(_ v: Int, node n: Int, in ctx: AttachDetachContext) {
        guard attachment(v).attachedTo == n else { return }
        attachments[v].attachedTo = nil
        attachments[v].detaching = false
        attachments[v].detachRequestedAt = nil
        wakeWaiters(v, in: ctx)
    }

    private func wakeWaiters(_ v: Int, in ctx: AttachDetachContext) {
        let woken = waiters.removeValue(forKey: v) ?? []
        for id in woken.sorted() {
            guard let p = ctx.pods[id], let n = p.node, ctx.nodes[n].up else { continue }
            if requestAttach(p, on: n, in: ctx) { ctx.volumesAttached(pod: id) }
        }
    }

    /// Some pod on node `n` that is not terminated (`IsPodTerminated`) claims the volume.
    private func volumeDesired(_ v: Int, on n: Int, in ctx: AttachDetachContext) -> Bool {
        ctx.nodes[n].pods.contains { id in
            guard let p = ctx.pods[id], !(p.isTerminating && !p.statusRunning) else { return false }
            return ctx.claimedVolumes(of: p).contains(v)
        }
    }

    private func grow(to count: Int) {
        if attachments.count < count { attachments += Array(repeating: VolumeAttachment(), count: count - attachments.count) }
    }
}

extension ClusterSimulation: AttachDetachContext {
    func claimedVolumes(of pod: SimPod) -> [Int] { podClaims(pod).compactMap { claims[$0]?.volume } }

    func schedule(_ event: AttachDetachEvent, at time: SimTime) {
        engine.schedule(.attachDetach(event), at: time)
    }

    func volumesAttached(pod id: PodID) { kubelet.continueAdmission(id, in: self) }

    func attachDetachMultiAttach(_ v: Int, wantedOn n: Int, attachedTo other: Int) {
        faultTimelines.volumeMultiAttach(v, wantedOn: n, attachedTo: other, in: self)
    }

    func attachDetachDetaching(_ v: Int, node n: Int, _ mechanism: String) {
        faultTimelines.volumeMilestone(v, node: n, name: .volumeDetached, mechanism, in: self)
    }
}

import SimKernel

/// A provider's node auto-repair: who repairs a node that stays broken, and how fast.
public struct NodeAutoRepairSpec: Sendable, Equatable {
    /// Who repairs, for the timeline ("GKE node auto-repair").
    public var repairer: String
    /// How long a node must stay not Ready (or silent) before a repair starts.
    public var notReadyThreshold: SimTime
    /// From the repair's start to the new machine being switched on (the provider deletes
    /// and re-creates the VM); the kubelet then needs the platform's `nodeBootTime`.
    public var recreateTime: SimTime

    public init(repairer: String, notReadyThreshold: SimTime, recreateTime: SimTime) {
        self.repairer = repairer; self.notReadyThreshold = notReadyThreshold; self.recreateTime = recreateTime
    }

    /// GKE: a node that reports NotReady, or no status at all, on consecutive checks for about 10
    /// minutes is drained and re-created under the same name (cloud.google.com,
    /// kubernetes-engine/docs/how-to/node-auto-repair, "Repair criteria", "Node repair process").
    ///
    /// Re-creating the VM: 60 s, an assumption.
    public static let gke = NodeAutoRepairSpec(
        repairer: "GKE node auto-repair", notReadyThreshold: .minutes(10),
        recreateTime: .seconds(60))
    /// EKS managed node groups with node auto repair enabled: a node whose Ready condition stays
    /// unhealthy for 30 minutes is replaced (docs.aws.amazon.com, eks/latest/userguide/
    /// node-repair.html, the default repair table).
    ///
    /// Launching the replacement: 60 s, an assumption.
    public static let eks = NodeAutoRepairSpec(
        repairer: "EKS node auto repair", notReadyThreshold: .minutes(30),
        recreateTime: .seconds(60))
}

/// The node auto-repair's events.
enum NodeAutoRepairEvent: Equatable {
    /// The node has been not Ready for the threshold since `since`.
    case thresholdReached(node: Int, since: SimTime)
    /// The re-created machine is switched on.
    case machineRecreated(node: Int)
}

/// What node auto-repair uses of the cluster.
protocol NodeAutoRepairContext: AnyObject {
    var now: SimTime { get }
    var nodes: [SimNode] { get }
    func schedule(_ event: NodeAutoRepairEvent, at time: SimTime)
    /// The provider deletes the VM: its containers are gone, the kubelet stops.
    func stopMachine(_ n: Int)
    /// The new VM boots under the same name; its kubelet registers after `nodeBootTime`.
    func startMachine(_ n: Int)
    func repairMilestone(_ name: MilestoneName, node n: Int, _ mechanism: String)
}

/// The provider's repair loop, outside the cluster: it watches each node's Ready condition through
/// the store and, once a node has stayed not Ready for the threshold, re-creates its machine.
///
/// The drain the provider attempts first cannot finish on a node whose kubelet does not answer (it
/// cannot confirm any pod's deletion); the simulation does not wait for it and re-creates the
/// machine at once (GKE would wait up to an hour for a drain that can progress). Repairs of several
/// nodes run in parallel.
final class NodeAutoRepair {
    let spec: NodeAutoRepairSpec
    /// Since when each broken node has been not Ready.
    private var notReadySince: [Int: SimTime] = [:]
    private var repairing = Set<Int>()

    init(spec: NodeAutoRepairSpec) { self.spec = spec }

    func nodeChanged(_ change: NodeChange, in ctx: NodeAutoRepairContext) {
        let n = change.node
        let wasReady = change.old.ready == .isTrue && !change.old.deleted
        let isReady = change.new.ready == .isTrue && !change.new.deleted
        if wasReady, !isReady, !change.new.deleted {
            notReadySince[n] = ctx.now
            ctx.schedule(.thresholdReached(node: n, since: ctx.now), at: ctx.now + spec.notReadyThreshold)
        } else if isReady {
            notReadySince[n] = nil
            if repairing.remove(n) != nil {
                ctx.repairMilestone(
                    .nodeRepaired, node: n, "\(spec.repairer): the re-created \(ctx.nodes[n].name) registered and is Ready")
            }
        } else if change.new.deleted {
            notReadySince[n] = nil
        }
    }

    func handle(_ event: NodeAutoRepairEvent, in ctx: NodeAutoRepairContext) {
        switch event {
        case .thresholdReached(let n, let since):
            guard notReadySince[n] == since, !repairing.contains(n) else { return }
            repairing.insert(n)
            ctx.repairMilestone(
                .nodeRepairStarted, node: n,
                "\(spec.repairer): \(ctx.nodes[n].name) not Ready for \(spec.notReadyThreshold); its VM is deleted and re-created under the same name (\(spec.recreateTime), assumption)"
            )
            ctx.stopMachine(n)
            ctx.schedule(.machineRecreated(node: n), at: ctx.now + spec.recreateTime)
        case .machineRecreated(let n):
            ctx.startMachine(n)
        }
    }
}

extension ClusterSimulation: NodeAutoRepairContext {
    func schedule(_ event: NodeAutoRepairEvent, at time: SimTime) {
        engine.schedule(.nodeAutoRepair(event), at: time)
    }

    func stopMachine(_ n: Int) { crashNode(n) }

    func startMachine(_ n: Int) { powerOnNode(n) }

    func repairMilestone(_ name: MilestoneName, node n: Int, _ mechanism: String) {
        faultTimelines.nodeMilestone(name, onNode: n, mechanism, at: now)
    }
}

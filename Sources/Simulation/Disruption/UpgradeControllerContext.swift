import KubeModel
import SimKernel

/// What node upgrades use of the cluster: the nodes and the clock, the upgrade's fault (its
/// options and the timeline it writes), the event queue, the node writes an upgrade makes
/// (cordon, uncordon, a K3S restart, a reboot, machines added and removed) and the drains it
/// starts and abandons.
protocol UpgradeControllerContext: AnyObject {
    var now: SimTime { get }
    var nodes: [SimNode] { get }
    /// How long a rebooted machine's kubelet takes to come up.
    var nodeBootTime: SimTime { get }
    func fault(_ i: FaultID) -> FaultRecord
    /// The upgrade's fault record: its milestones, statistics and whether it is done.
    func updateFault(_ i: FaultID, _ change: (inout FaultRecord) -> Void)
    @discardableResult
    func schedule(_ event: UpgradeEvent, after delay: SimTime) -> EventID
    func cancelEvent(_ id: EventID)
    /// Measurement hears that the node's upgrade state changed.
    func nodeStateChanged(_ n: Int)
    func cordon(_ n: Int)
    func uncordon(_ n: Int)
    func restartK3s(_ n: Int, for duration: SimTime)
    func shutDownMachine(_ n: Int, why: String)
    func powerOnNode(_ n: Int)
    @discardableResult
    func addNode(like template: Int, name: String) -> Int
    func removeNode(_ n: Int)
    func nextNodeName(pool: String) -> String
    @discardableResult
    func startDrain(
        _ n: Int, owner: DrainOwner, force: Bool, timeout: SimTime?, skipUnmanaged: Bool
    ) -> Result<Int, DrainRefusal>
    /// Stops a drain still running; the pods it left, or nil when it had ended.
    func abandonDrain(_ d: Int) -> Set<PodID>?
}

extension ClusterSimulation: UpgradeControllerContext {
    /// The upgrades as their controller holds them (read-only here).
    var upgrades: [UpgradeState] { upgradeController.upgrades }

    var nodeBootTime: SimTime { params.nodeBootTime }

    func fault(_ i: FaultID) -> FaultRecord { faultTimelines.records[i] }

    func updateFault(_ i: FaultID, _ change: (inout FaultRecord) -> Void) { faultTimelines.update(i, change) }

    @discardableResult
    func schedule(_ event: UpgradeEvent, after delay: SimTime) -> EventID { engine.schedule(.upgrade(event), after: delay) }

    func abandonDrain(_ d: Int) -> Set<PodID>? { nodeDrainer.abandon(d) }
}

import KubeModel
import SimKernel

/// The node lifecycle controller's events.
enum NodeLifecycleEvent: Equatable {
    /// `monitorNodeHealth`, every `--node-monitor-period` (a sliding `wait.Until`).
    case monitorPass
    /// `doNoExecuteTaintingPass` for one zone, on the `NodeEvictionPeriod` grid.
    case taintPass(zone: Int)
}

/// What the node lifecycle controller uses of the cluster: the store to read, the clock and
/// the event queue, the writes it makes (the Ready condition, pod readiness, NoExecute
/// taints), the Lease renewals as the API holds them, and the milestones it files.
protocol NodeLifecycleContext: AnyObject {
    var now: SimTime { get }
    var nodes: [SimNode] { get }
    /// How many zones the nodes are in (zone indices are `0..<zoneCount`).
    var zoneCount: Int { get }
    func schedule(_ event: NodeLifecycleEvent, at time: SimTime)
    /// The Lease's renewTime as the API holds it now.
    func leaseRenewTime(_ n: Int) -> SimTime
    /// The kubelet's last explicit renewal while its renewals follow a fixed phase (nil: not).
    func leaseAnchor(_ n: Int) -> SimTime?
    func setNodeReady(_ n: Int, _ status: ConditionStatus)
    func setPodReady(_ id: PodID, _ ready: Bool)
    func addTaint(_ n: Int, _ taint: Taint)
    func removeTaint(_ n: Int, key: String, effect: TaintEffect)
    /// The controller overwrote the node's Ready condition: a kubelet that is alive but cannot
    /// write sees the difference at its next status sync that gets through.
    func readyConditionOverwritten(_ n: Int)
    /// The cloud controller manager's node lifecycle loop, which runs on the same period.
    func cloudNodeLifecycle(_ candidates: [Int])
    func nodeLifecycleMarkedUnknown(_ n: Int, controllerRestartedAt: SimTime?)
    func nodeLifecycleTainted(_ n: Int)
    /// A zone (nil: every zone, master disruption mode) changed state; `taintingStopped` when
    /// its limiter no longer accepts.
    func nodeLifecycleZoneChanged(_ zone: Int?, state: ZoneState, notReady: Int, size: Int, taintingStopped: Bool)
}

extension ClusterSimulation: NodeLifecycleContext {
    var zoneCount: Int { zones.count }

    func schedule(_ event: NodeLifecycleEvent, at time: SimTime) {
        engine.schedule(.nodeLifecycle(event), at: time)
    }

    func leaseAnchor(_ n: Int) -> SimTime? { kubelet.leaseAnchor(n) }

    func readyConditionOverwritten(_ n: Int) { requestNodeStatusSync(n) }

    func nodeLifecycleMarkedUnknown(_ n: Int, controllerRestartedAt: SimTime?) {
        faultTimelines.nodeMarkedUnknown(n, controllerRestartedAt: controllerRestartedAt, in: self)
    }

    func nodeLifecycleTainted(_ n: Int) { faultTimelines.nodeTainted(n, in: self) }

    func nodeLifecycleZoneChanged(_ zone: Int?, state: ZoneState, notReady: Int, size: Int, taintingStopped: Bool) {
        faultTimelines.zoneStateChanged(
            zone: zone, state: state, notReady: notReady, size: size, taintingStopped: taintingStopped, in: self)
    }
}

import KubeModel
import SimKernel
import Simulation

/// Decides whether a node set runs a workload the only way that counts: by letting the
/// simulated cluster place it with the real kube-scheduler (requests, DaemonSets on every
/// node, taints, affinity and anti-affinity, topology spread, max pods, preemption) and
/// asking whether any pod is still pending.
struct FitCheck {
    let workloads: Workloads
    let parameters: ClusterParameters
    let scheduler: SchedulerConfiguration?
    let timing: [PodTimingRule]
    /// Simulations run so far (reported with the plan).
    private(set) var simulations = 0

    init(workloads: Workloads, parameters: ClusterParameters, scheduler: SchedulerConfiguration?, timing: [PodTimingRule]) {
        self.workloads = workloads; self.parameters = parameters; self.scheduler = scheduler; self.timing = timing
    }

    /// Long enough for the initial placement (pods are bound within seconds; a pod the
    /// scheduler cannot place stays pending).
    static let settleTime = SimTime.minutes(2)

    /// Pending pods once the workload is placed on `nodes`.
    mutating func pending(_ nodes: [NodeSpec], seed: UInt64) -> Int {
        run(nodes, duration: FitCheck.settleTime, faults: [], seed: seed)
    }

    /// Pending pods after a crash of `target` (a node or a zone) that does not recover:
    /// the node lifecycle controller marks it NotReady after the grace period, taint eviction
    /// removes its pods after tolerationSeconds, and the controllers' replacements must find
    /// room on the remaining nodes.
    mutating func pendingAfterCrash(_ nodes: [NodeSpec], target: FaultSpec.Target, seed: UInt64) -> Int {
        let at = FitCheck.settleTime
        let eviction = parameters.nodeMonitorGracePeriod + .seconds(parameters.defaultUnreachableTolerationSeconds)
        let duration = at + eviction + .minutes(4)
        return run(nodes, duration: duration, faults: [FaultSpec(at: at, action: .crash, target: target)], seed: seed)
    }

    private mutating func run(_ nodes: [NodeSpec], duration: SimTime, faults: [FaultSpec], seed: UInt64) -> Int {
        simulations += 1
        let spec = ClusterSpec(
            name: "plan-candidate", duration: duration, seed: seed, parameters: parameters, nodes: nodes,
            workloads: workloads, timing: timing, faults: faults, scheduler: scheduler)
        return ClusterSimulation(spec: spec).run().pendingPodsAtEnd
    }
}

import KubeModel
import SimKernel

/// The HorizontalPodAutoscaler controller's events.
enum AutoscalerEvent: Equatable {
    /// A `--horizontal-pod-autoscaler-sync-period` tick: every autoscaler reconciles.
    case sync
}

/// One pod of an autoscaler's target as the controller reads it from the store.
struct AutoscaledPod: Equatable {
    var ready: Bool
    var terminating: Bool
    /// Bound to a node (else Pending, waiting for room).
    var scheduled: Bool
    var requestMillicores: Int64
}

/// What the HorizontalPodAutoscaler controller uses of the cluster: the clock, the event
/// queue, its target's spec.replicas and pods, and the scale subresource.
protocol AutoscalerContext: AnyObject {
    var now: SimTime { get }
    func schedule(_ event: AutoscalerEvent, at time: SimTime)
    /// The sync grid's phase in [0, 1), drawn once from the controller-manager's own stream.
    func autoscalerPhase() -> Double
    /// The target's spec.replicas; nil when it is not in the cluster.
    func scaleTargetReplicas(_ target: AutoscalerSpec.Target) -> Int?
    /// The pods its selector matches, in name order.
    func scaleTargetPods(_ target: AutoscalerSpec.Target) -> [AutoscaledPod]
    /// A write of the scale subresource, as `kubectl scale` does it.
    func setScaleTargetReplicas(_ target: AutoscalerSpec.Target, to replicas: Int)
}

/// One autoscaler's state: its normaliser and what the run reports of it.
struct SimAutoscaler {
    let spec: AutoscalerSpec
    var normalizer: ScalingNormalizer
    var result: AutoscalerResult
    /// When the target reached maxReplicas (while it stays there).
    var atMaxSince: SimTime?
}

/// The HorizontalPodAutoscaler controller (kubernetes pkg/controller/podautoscaler/horizontal.go
/// `reconcileAutoscaler`): every 15 s on its own grid it reads each target's scale and pods; a
/// target at 0 replicas is left alone (autoscaling disabled), one outside [minReplicas,
/// maxReplicas] is moved to the nearest bound, otherwise the CPU metric's recommendation
/// (`ReplicaCalculator`) goes through the behaviour (`ScalingNormalizer`) and, if it differs, is
/// written to the scale subresource.
///
/// The metric is the load profile's demand shared equally by the target's Ready pods: a Service
/// sends traffic only to Ready endpoints.
final class HorizontalPodAutoscalerController {
    static let syncPeriod = SimTime.seconds(15)
    private(set) var autoscalers: [SimAutoscaler] = []
    private var grid: TickGrid?

    func handle(_ event: AutoscalerEvent, in ctx: AutoscalerContext) {
        switch event {
        case .sync:
            for a in autoscalers.indices { reconcile(a, in: ctx) }
            ctx.schedule(.sync, at: ctx.now + Self.syncPeriod)
        }
    }

    func start(_ specs: [AutoscalerSpec], in ctx: AutoscalerContext) {
        autoscalers = specs.map {
            SimAutoscaler(
                spec: $0,
                normalizer: ScalingNormalizer(behavior: $0.behavior, minReplicas: $0.minReplicas, maxReplicas: $0.maxReplicas),
                result: AutoscalerResult(
                    name: $0.name, target: $0.targetName, minReplicas: $0.minReplicas, maxReplicas: $0.maxReplicas,
                    initialReplicas: ctx.scaleTargetReplicas($0.target) ?? 0))
        }
        guard !autoscalers.isEmpty else { return }
        let first = SimTime(microseconds: Int64(ctx.autoscalerPhase() * Double(Self.syncPeriod.microseconds)))
        ctx.schedule(.sync, at: first)
    }

    private func reconcile(_ a: Int, in ctx: AutoscalerContext) {
        let spec = autoscalers[a].spec
        guard let current = ctx.scaleTargetReplicas(spec.target) else { return }
        let demand = spec.load.millicores(at: ctx.now)
        let targetPods = ctx.scaleTargetPods(spec.target)
        let pending = targetPods.filter { !$0.scheduled && !$0.terminating }.count
        autoscalers[a].result.maxPendingPods = max(autoscalers[a].result.maxPendingPods, pending)
        let pods = samples(targetPods, demand: demand)
        let metric = measure(spec, current: current, pods: pods)
        if let m = metric { autoscalers[a].result.observe(utilization: m.utilization, demandMillicores: demand, at: ctx.now) }
        // An HPA without a scaling metric (a load for a target without one) only reports.
        guard !spec.name.isEmpty, current != 0 else { return }
        let desired: Int
        if current > spec.maxReplicas {
            desired = spec.maxReplicas
        } else if current < spec.minReplicas {
            desired = spec.minReplicas
        } else if spec.cpu != nil, let m = metric {
            desired = autoscalers[a].normalizer.normalize(current: current, desired: m.replicas, now: ctx.now)
        } else {
            return
        }
        track(a, replicas: current, now: ctx.now)
        guard desired != current else { return }
        autoscalers[a].normalizer.recordScale(from: current, to: desired, now: ctx.now)
        autoscalers[a].result.rescaled(
            from: current, to: desired, utilization: metric?.utilization,
            demandMillicores: demand, at: ctx.now)
        ctx.setScaleTargetReplicas(spec.target, to: desired)
        track(a, replicas: desired, now: ctx.now)
    }

    private func measure(_ spec: AutoscalerSpec, current: Int, pods: [ReplicaCalculator.PodSample]) -> ReplicaCalculator.Result? {
        switch spec.cpu {
        case .utilization(let percent)?:
            return ReplicaCalculator.replicas(current: current, pods: pods, targetUtilization: percent)
        case .averageValue(let m)?:
            return ReplicaCalculator.replicas(current: current, pods: pods, targetAverageMillicores: m)
        case nil:
            // Still the utilisation figure: the demand against the Ready pods' requests.
            return ReplicaCalculator.replicas(current: current, pods: pods, targetUtilization: 100)
        }
    }

    /// The demand split over the Ready pods (to the millicore, the remainder to the first).
    func samples(_ pods: [AutoscaledPod], demand: Int64) -> [ReplicaCalculator.PodSample] {
        let ready = Int64(pods.filter { $0.ready && !$0.terminating }.count)
        var k: Int64 = 0
        return pods.map { p in
            if p.terminating { return .init(state: .ignored, requestMillicores: p.requestMillicores, usageMillicores: nil) }
            guard p.ready else { return .init(state: .unready, requestMillicores: p.requestMillicores, usageMillicores: nil) }
            defer { k += 1 }
            let share = demand / ready + (k < demand % ready ? 1 : 0)
            return .init(state: .ready, requestMillicores: p.requestMillicores, usageMillicores: share)
        }
    }

    /// Time at maxReplicas.
    private func track(_ a: Int, replicas: Int, now: SimTime) {
        let atMax = replicas >= autoscalers[a].spec.maxReplicas
        if atMax, autoscalers[a].atMaxSince == nil { autoscalers[a].atMaxSince = now }
        if !atMax, let since = autoscalers[a].atMaxSince {
            autoscalers[a].result.secondsAtMax += (now - since).seconds
            autoscalers[a].atMaxSince = nil
        }
    }

    /// The run's end: close the time at maxReplicas.
    func finish(at end: SimTime) -> [AutoscalerResult] {
        autoscalers.map { a in
            var r = a.result
            if let since = a.atMaxSince { r.secondsAtMax += (end - since).seconds }
            return r
        }
    }
}

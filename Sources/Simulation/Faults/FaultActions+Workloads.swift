import KubeModel
import SimKernel

/// Faults that act on workloads and on nodes through the API (drains, upgrades, rollouts):
/// what each does when it is injected.
extension FaultInjector {
    func injectDrain(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        let targets = resolveNodes(f, in: ctx)
        let timelines = ctx.faultTimelines
        timelines.update(i) {
            $0.nodes = targets
            $0.result.stats["evictionRetries"] = 0
        }
        for n in targets {
            switch ctx.startDrain(n, owner: .fault(i), force: f.force, timeout: f.timeout, skipUnmanaged: false) {
            case .success:
                timelines.mark(
                    i, .cordoned, ctx.now,
                    "kubectl drain: spec.unschedulable=true (taint \(Taint.unschedulableKey):NoSchedule); pods evicted in parallel through the eviction API"
                )
            case .failure(let refusal):
                timelines.mark(i, .drainFailed, ctx.now, refusal.message)
                timelines.update(i) { $0.done = true }
            }
        }
    }

    func injectUncordon(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        for n in resolveNodes(f, in: ctx) { ctx.uncordon(n) }
        ctx.faultTimelines.mark(i, .uncordoned, ctx.now, "spec.unschedulable=false")
    }

    func injectUpgrade(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        if f.target == .controlPlane, ctx.controlPlaneSpec.datastore == .managed {
            upgradeManagedControlPlane(i, f, in: ctx)
            return
        }
        let targets = resolveNodes(f, in: ctx)
        ctx.faultTimelines.update(i) { $0.nodes = targets }
        if f.upgrade.strategy == .surge, let settings = f.upgrade.nodePool {
            ctx.startNodePoolUpgrade(fault: i, nodes: targets, plan: f.upgrade, settings: settings)
        } else {
            ctx.startUpgrade(fault: i, nodes: targets, plan: f.upgrade)
        }
    }

    func injectRollout(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        if case .statefulSet(let ns, let name) = f.target, let s = ctx.statefulSetIndex(namespace: ns, name: name) {
            ctx.faultTimelines.rolloutStarted(
                i, workload: ctx.statefulSets[s].workload,
                "new pod template; StatefulSet RollingUpdate: one pod at a time from the highest ordinal, each back Running and Ready before the next",
                in: ctx)
            ctx.updateStatefulSetTemplate(s, image: f.image)
            return
        }
        if case .daemonSet(let ns, let name) = f.target, let d = ctx.daemonSetIndex(namespace: ns, name: name) {
            ctx.faultTimelines.rolloutStarted(
                i, workload: ctx.daemonSets[d].workload,
                "new pod template; DaemonSet RollingUpdate maxUnavailable \(ctx.daemonSets[d].object.maxUnavailable): old pods deleted node by node",
                in: ctx)
            ctx.updateDaemonSetTemplate(d, image: f.image)
            return
        }
        guard case .deployment(let ns, let name) = f.target, let d = ctx.deploymentIndex(ns, name) else { return }
        let obj = ctx.deployments[d].object
        let w = ctx.deployments[d].workload
        let surge = RollingUpdateMath.maxSurge(obj), unavailable = RollingUpdateMath.maxUnavailable(obj)
        let (pods, available) = (ctx.workloads[w].pods, ctx.deploymentStatus(d).available)
        ctx.faultTimelines.update(i) {
            $0.deployment = d
            $0.workload = w
            $0.result.stats["maxPods"] = Double(pods)
            $0.result.stats["minAvailable"] = Double(available)
        }
        ctx.faultTimelines.mark(
            i, .started, ctx.now,
            obj.strategy.type == .Recreate
                ? "new pod template; Recreate: all old pods stop before new ones start"
                : "new pod template; RollingUpdate maxSurge \(obj.strategy.maxSurge) → \(surge), maxUnavailable \(obj.strategy.maxUnavailable) → \(unavailable) of \(obj.replicas) replicas"
        )
        ctx.updateDeploymentTemplate(d, image: f.image)
    }

    func injectScale(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        guard case .deployment(let ns, let name) = f.target, let d = ctx.deploymentIndex(ns, name),
            let replicas = f.replicas
        else { return }
        let w = ctx.deployments[d].workload
        ctx.faultTimelines.update(i) {
            $0.deployment = d
            $0.workload = w
        }
        ctx.faultTimelines.mark(i, .started, ctx.now, "spec.replicas \(ctx.deployments[d].object.replicas) → \(replicas)")
        ctx.scaleDeployment(d, to: replicas)
    }

    func injectDeletePod(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        var victims: [PodID] = []
        let pods = ctx.pods
        switch f.target {
        case .pod(let ns, let name):
            victims = pods.values.filter { $0.namespace == ns && $0.name == name && !$0.isTerminating }.map(\.id)
        case .deployment(let ns, let name):
            if let d = ctx.deploymentIndex(ns, name) {
                let w = ctx.deployments[d].workload
                victims = Array(
                    ctx.workloads[w].members.filter { pods[$0]?.isTerminating == false }.sorted().prefix(f.count ?? 1))
            }
        default: break
        }
        let affected = Set(victims.compactMap { pods[$0]?.workload })
        ctx.faultTimelines.update(i) {
            $0.affected = affected
            $0.replaceable = affected
        }
        for id in victims { ctx.deletePod(id, reason: "delete-pod fault") }
        ctx.faultTimelines.mark(
            i, .deleted, ctx.now, "\(victims.count) pod(s) deleted; the controller creates replacements at once")
    }
}

import KubeModel
import SimKernel

/// Faults that act on workloads and on nodes through the API (drains, upgrades, rollouts):
/// what each does when it is injected.
extension ClusterSimulation {
    func injectDrain(_ i: Int, _ f: FaultSpec) {
        let targets = resolveNodes(f)
        faults.records[i].nodes = targets
        faults.records[i].result.stats["evictionRetries"] = 0
        for n in targets {
            switch startDrain(n, owner: .fault(i), force: f.force, timeout: f.timeout) {
            case .success:
                faults.records[i].mark(
                    .cordoned, now,
                    "kubectl drain: spec.unschedulable=true (taint \(Taint.unschedulableKey):NoSchedule); pods evicted in parallel through the eviction API"
                )
            case .failure(let refusal):
                faults.records[i].mark(.drainFailed, now, refusal.message)
                faults.records[i].done = true
            }
        }
    }

    func injectUncordon(_ i: Int, _ f: FaultSpec) {
        for n in resolveNodes(f) { uncordon(n) }
        faults.records[i].mark(.uncordoned, now, "spec.unschedulable=false")
    }

    func injectUpgrade(_ i: Int, _ f: FaultSpec) {
        if f.target == .controlPlane, spec.controlPlane.datastore == .managed {
            upgradeManagedControlPlane(i, f)
            return
        }
        let targets = resolveNodes(f)
        faults.records[i].nodes = targets
        if f.upgrade.strategy == .surge, let settings = f.upgrade.nodePool {
            nodePoolUpgradeController.start(fault: i, nodes: targets, plan: f.upgrade, settings: settings, in: self)
        } else {
            upgradeController.start(fault: i, nodes: targets, plan: f.upgrade, in: self)
        }
    }

    func injectRollout(_ i: Int, _ f: FaultSpec) {
        if case .statefulSet(let ns, let name) = f.target,
            let s = statefulSetController.index(namespace: ns, name: name)
        {
            startWorkloadRollout(
                i, workload: statefulSets[s].workload,
                "new pod template; StatefulSet RollingUpdate: one pod at a time from the highest ordinal, each back Running and Ready before the next"
            )
            statefulSetController.updateTemplate(s, image: f.image, in: self)
            return
        }
        if case .daemonSet(let ns, let name) = f.target,
            let d = daemonSetController.index(namespace: ns, name: name)
        {
            startWorkloadRollout(
                i, workload: daemonSets[d].workload,
                "new pod template; DaemonSet RollingUpdate maxUnavailable \(daemonSets[d].object.maxUnavailable): old pods deleted node by node"
            )
            daemonSetController.updateTemplate(d, image: f.image, in: self)
            return
        }
        guard case .deployment(let ns, let name) = f.target, let d = deploymentIndex(ns, name) else { return }
        faults.records[i].deployment = d
        faults.records[i].workload = deployments[d].workload
        let obj = deployments[d].object
        let surge = RollingUpdateMath.maxSurge(obj), unavailable = RollingUpdateMath.maxUnavailable(obj)
        faults.records[i].result.stats["maxPods"] = Double(workloads[deployments[d].workload].pods)
        faults.records[i].result.stats["minAvailable"] = Double(deploymentStatus(d).available)
        faults.records[i].mark(
            .started, now,
            obj.strategy.type == .Recreate
                ? "new pod template; Recreate: all old pods stop before new ones start"
                : "new pod template; RollingUpdate maxSurge \(obj.strategy.maxSurge) → \(surge), maxUnavailable \(obj.strategy.maxUnavailable) → \(unavailable) of \(obj.replicas) replicas"
        )
        updateDeploymentTemplate(d, image: f.image)
    }

    func injectScale(_ i: Int, _ f: FaultSpec) {
        guard case .deployment(let ns, let name) = f.target, let d = deploymentIndex(ns, name),
            let replicas = f.replicas
        else { return }
        faults.records[i].deployment = d
        faults.records[i].workload = deployments[d].workload
        faults.records[i].mark(.started, now, "spec.replicas \(deployments[d].object.replicas) → \(replicas)")
        scaleDeployment(d, to: replicas)
    }

    func injectDeletePod(_ i: Int, _ f: FaultSpec) {
        var victims: [Int] = []
        switch f.target {
        case .pod(let ns, let name):
            victims = pods.values.filter { $0.namespace == ns && $0.name == name && !$0.isTerminating }.map(\.id)
        case .deployment(let ns, let name):
            if let d = deploymentIndex(ns, name) {
                let w = deployments[d].workload
                victims = Array(workloads[w].members.filter { pods[$0]?.isTerminating == false }.sorted().prefix(f.count ?? 1))
            }
        default: break
        }
        faults.records[i].affected = Set(victims.compactMap { pods[$0]?.workload })
        faults.records[i].replaceable = faults.records[i].affected
        for id in victims { deletePod(id, reason: "delete-pod fault") }
        faults.records[i].mark(.deleted, now, "\(victims.count) pod(s) deleted; the controller creates replacements at once")
    }
}

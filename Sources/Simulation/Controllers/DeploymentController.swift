import KubeModel
import SimKernel

/// What the Deployment controller uses of the cluster: the clock, the controllers' shared
/// work queue (and a delayed sync for the progress deadline), the workload it measures under,
/// its ReplicaSets as the API holds them (read, created, scaled, annotated), and the
/// milestones of rollouts.
protocol DeploymentControllerContext: AnyObject {
    var now: SimTime { get }
    func enqueueSync(_ key: SyncKey)
    func scheduleSync(_ key: SyncKey, at time: SimTime) -> EventID
    func cancelEvent(_ id: EventID)
    func addWorkload(name: String, kind: String, desired: Int) -> WorkloadID
    func replicaSet(_ rs: Int) -> SimReplicaSet
    func replicaSetStatus(_ rs: Int) -> (replicas: Int, ready: Int, available: Int)
    func createReplicaSet(
        name: String, namespace: String, selector: LabelSelector, template: PodTemplateSpec,
        templateHash: String, replicas: Int, minReadySeconds: Int, deployment: Int?, workload: WorkloadID,
        revision: Int
    ) -> Int
    func scaleReplicaSet(_ rs: Int, to replicas: Int)
    func annotateReplicaSet(_ rs: Int, desired: Int, max: Int)
    func faultsObserveProgressDeadline(_ d: Int)
    func faultsObserveDeployment(_ d: Int, status: (replicas: Int, updated: Int, ready: Int, available: Int), complete: Bool)
}

/// The Deployment controller (pkg/controller/deployment): one ReplicaSet per pod-template
/// revision, scaled by the rolling-update (rolling.go) or recreate (recreate.go) algorithm,
/// proportional scaling when the Deployment is resized mid-rollout (sync.go), and the
/// progress deadline.
final class DeploymentController {
    private(set) var deployments: [SimDeployment] = []

    func create(_ d: Deployment, in ctx: DeploymentControllerContext) {
        let w = ctx.addWorkload(name: d.metadata.key, kind: "Deployment", desired: d.replicas)
        deployments.append(SimDeployment(id: deployments.count, object: d, workload: w))
        deployments[deployments.count - 1].templateHash = templateHash(deployments.count - 1)
        ctx.enqueueSync(.deployment(deployments.count - 1))
    }

    func index(namespace: String, name: String) -> Int? {
        deployments.firstIndex { $0.object.metadata.namespace == namespace && $0.object.metadata.name == name }
    }

    /// `pod-template-hash`: stands for the template; changes with every new revision.
    private func templateHash(_ i: Int) -> String {
        let d = deployments[i]
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in "\(d.object.metadata.key)#\(d.templateGeneration)".utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var s = ""
        for _ in 0..<10 { s.append(alphabet[Int(h % 27)]); h /= 27 }
        return s
    }

    /// Applies a new pod template (a rollout).
    func updateTemplate(_ i: Int, image: String?, in ctx: DeploymentControllerContext) {
        if let image {
            for c in deployments[i].object.template.spec.containers.indices {
                deployments[i].object.template.spec.containers[c].image = image
            }
        }
        deployments[i].templateGeneration += 1
        deployments[i].templateHash = templateHash(i)
        deployments[i].lastProgress = ctx.now
        deployments[i].progressDeadlineExceeded = false
        deployments[i].rolloutComplete = false
        ctx.enqueueSync(.deployment(i))
    }

    /// `spec.replicas` changed (an autoscaler, a scale fault, `kubectl scale`).
    func scale(_ i: Int, to replicas: Int, in ctx: DeploymentControllerContext) {
        deployments[i].object.replicas = replicas
        ctx.enqueueSync(.deployment(i))
    }

    func newAndOldReplicaSets(_ i: Int, in ctx: DeploymentControllerContext) -> (new: Int?, old: [Int]) {
        let hash = deployments[i].templateHash
        let all = deployments[i].replicaSets
        let new = all.first { ctx.replicaSet($0).templateHash == hash }
        return (new, all.filter { $0 != new })  // creation order = oldest first
    }

    func sync(_ i: Int, in ctx: DeploymentControllerContext) {
        let d = deployments[i].object
        guard !d.paused else { return }
        let (newRS, oldRSs) = newAndOldReplicaSets(i, in: ctx)
        let all = oldRSs + (newRS.map { [$0] } ?? [])
        // isScalingEvent: an active ReplicaSet's desired-replicas annotation differs.
        if all.contains(where: { ctx.replicaSet($0).replicas > 0 && ctx.replicaSet($0).desiredAnnotation != d.replicas }) {
            _ = scaleForDeployment(i, newRS: newRS, oldRSs: oldRSs, in: ctx)
            syncDeploymentStatus(i, in: ctx)
            return
        }
        switch d.strategy.type {
        case .RollingUpdate: rolloutRolling(i, in: ctx)
        case .Recreate: rolloutRecreate(i, in: ctx)
        }
        syncDeploymentStatus(i, in: ctx)
    }

    private func setReplicas(_ rs: Int, _ replicas: Int, for i: Int, in ctx: DeploymentControllerContext) {
        let d = deployments[i].object
        ctx.annotateReplicaSet(rs, desired: d.replicas, max: d.replicas + RollingUpdateMath.maxSurge(d))
        ctx.scaleReplicaSet(rs, to: replicas)
    }

    private func createNewReplicaSet(_ i: Int, replicas: Int, in ctx: DeploymentControllerContext) -> Int {
        let d = deployments[i].object
        deployments[i].revision += 1
        let hash = deployments[i].templateHash
        var template = d.template
        template.metadata.labels["pod-template-hash"] = hash
        let rs = ctx.createReplicaSet(
            name: "\(d.metadata.name)-\(hash)", namespace: d.metadata.namespace,
            selector: d.selector, template: template, templateHash: hash, replicas: replicas,
            minReadySeconds: d.minReadySeconds, deployment: i, workload: deployments[i].workload,
            revision: deployments[i].revision)
        ctx.annotateReplicaSet(rs, desired: d.replicas, max: d.replicas + RollingUpdateMath.maxSurge(d))
        deployments[i].replicaSets.append(rs)
        return rs
    }

    // MARK: rolling update (rolling.go)

    private func rolloutRolling(_ i: Int, in ctx: DeploymentControllerContext) {
        let d = deployments[i].object
        let surge = RollingUpdateMath.maxSurge(d)
        var (newRS, oldRSs) = newAndOldReplicaSets(i, in: ctx)
        if newRS == nil {
            let allSpec = oldRSs.reduce(0) { $0 + ctx.replicaSet($1).replicas }
            let n = RollingUpdateMath.newRSNewReplicas(
                replicas: d.replicas, maxSurge: surge,
                allSpecReplicas: allSpec, newRSReplicas: 0)
            newRS = createNewReplicaSet(i, replicas: n, in: ctx)
        }
        guard let newRS else { return }
        // reconcileNewReplicaSet
        let newSpec = ctx.replicaSet(newRS).replicas
        if newSpec > d.replicas {
            setReplicas(newRS, d.replicas, for: i, in: ctx); return
        }
        if newSpec < d.replicas {
            let allSpec = (oldRSs + [newRS]).reduce(0) { $0 + ctx.replicaSet($1).replicas }
            let target = RollingUpdateMath.newRSNewReplicas(
                replicas: d.replicas, maxSurge: surge,
                allSpecReplicas: allSpec, newRSReplicas: newSpec)
            if target != newSpec { setReplicas(newRS, target, for: i, in: ctx); return }
        }
        // reconcileOldReplicaSets
        if reconcileOldReplicaSets(i, newRS: newRS, oldRSs: oldRSs, in: ctx) { return }
        // A complete Deployment drops old ReplicaSets beyond revisionHistoryLimit.
        if complete(i, in: ctx) { cleanupOldReplicaSets(i, in: ctx) }
    }

    private func reconcileOldReplicaSets(_ i: Int, newRS: Int, oldRSs: [Int], in ctx: DeploymentControllerContext) -> Bool {
        let d = deployments[i].object
        let oldSpec = oldRSs.reduce(0) { $0 + ctx.replicaSet($1).replicas }
        guard oldSpec > 0 else { return false }
        let allSpec = oldSpec + ctx.replicaSet(newRS).replicas
        let maxUnavailable = RollingUpdateMath.maxUnavailable(d)
        let maxScaledDown = RollingUpdateMath.maxScaledDown(
            allSpecReplicas: allSpec, replicas: d.replicas, maxUnavailable: maxUnavailable,
            newRSSpecReplicas: ctx.replicaSet(newRS).replicas, newRSAvailable: ctx.replicaSetStatus(newRS).available)
        guard maxScaledDown > 0 else { return false }
        // cleanupUnhealthyReplicas: unavailable old pods go first, oldest set first.
        var cleaned = 0
        for rs in oldRSs {
            if cleaned >= maxScaledDown { break }
            let spec = ctx.replicaSet(rs).replicas
            let available = ctx.replicaSetStatus(rs).available
            if spec == 0 || spec == available { continue }
            let n = min(maxScaledDown - cleaned, spec - available)
            setReplicas(rs, spec - n, for: i, in: ctx)
            cleaned += n
        }
        // scaleDownOldReplicaSetsForRollingUpdate: keep replicas − maxUnavailable available.
        let minAvailable = d.replicas - maxUnavailable
        let available = (oldRSs + [newRS]).reduce(0) { $0 + ctx.replicaSetStatus($1).available }
        var scaled = 0
        if available > minAvailable {
            let total = available - minAvailable
            for rs in oldRSs {
                if scaled >= total { break }
                let spec = ctx.replicaSet(rs).replicas
                if spec == 0 { continue }
                let n = min(spec, total - scaled)
                setReplicas(rs, spec - n, for: i, in: ctx)
                scaled += n
            }
        }
        return cleaned + scaled > 0
    }

    // MARK: recreate (recreate.go)

    private func rolloutRecreate(_ i: Int, in ctx: DeploymentControllerContext) {
        let d = deployments[i].object
        var (newRS, oldRSs) = newAndOldReplicaSets(i, in: ctx)
        var scaledDown = false
        for rs in oldRSs where ctx.replicaSet(rs).replicas > 0 { setReplicas(rs, 0, for: i, in: ctx); scaledDown = true }
        if scaledDown { return }
        // Wait until no old pod exists at all (terminating ones included).
        if oldRSs.contains(where: { !ctx.replicaSet($0).pods.isEmpty }) { return }
        if newRS == nil { newRS = createNewReplicaSet(i, replicas: 0, in: ctx) }
        if let newRS, ctx.replicaSet(newRS).replicas != d.replicas { setReplicas(newRS, d.replicas, for: i, in: ctx) }
    }

    // MARK: scaling (sync.go `scale`)

    /// Returns whether it scaled something.
    private func scaleForDeployment(_ i: Int, newRS: Int?, oldRSs: [Int], in ctx: DeploymentControllerContext) -> Bool {
        let d = deployments[i].object
        let all = oldRSs + (newRS.map { [$0] } ?? [])
        let active = all.filter { ctx.replicaSet($0).replicas > 0 }
        // FindActiveOrLatest
        let activeOrLatest: Int? = active.count == 1 ? active[0] : (active.isEmpty ? (newRS ?? oldRSs.last) : nil)
        if let rs = activeOrLatest {
            if ctx.replicaSet(rs).replicas == d.replicas {
                ctx.annotateReplicaSet(rs, desired: d.replicas, max: d.replicas + RollingUpdateMath.maxSurge(d))
                return false
            }
            setReplicas(rs, d.replicas, for: i, in: ctx)
            return true
        }
        if let newRS, ctx.replicaSetStatus(newRS).available == d.replicas, ctx.replicaSet(newRS).replicas == d.replicas {
            for rs in oldRSs where ctx.replicaSet(rs).replicas > 0 { setReplicas(rs, 0, for: i, in: ctx) }
            return true
        }
        guard d.strategy.type == .RollingUpdate else { return false }
        let surge = RollingUpdateMath.maxSurge(d)
        let current = active.reduce(0) { $0 + ctx.replicaSet($1).replicas }
        let toAdd = d.replicas + surge - current
        // Larger sets first; on a tie the newer first when scaling up, the older when down.
        let ordered = active.sorted { a, b in
            let ra = ctx.replicaSet(a).replicas, rb = ctx.replicaSet(b).replicas
            if ra != rb { return ra > rb }
            return toAdd > 0 ? a > b : a < b
        }
        let statusReplicas = active.reduce(0) { $0 + ctx.replicaSetStatus($1).replicas }
        var added = 0
        var sizes: [Int: Int] = [:]
        for rs in ordered {
            let r = ctx.replicaSet(rs).replicas
            guard toAdd != 0, r != 0, toAdd != added else { sizes[rs] = r; continue }
            let fraction = RollingUpdateMath.replicaSetFraction(
                rsReplicas: r, deploymentReplicas: d.replicas, maxSurge: surge,
                annotatedMaxReplicas: ctx.replicaSet(rs).maxAnnotation, statusReplicas: statusReplicas)
            let allowed = toAdd - added
            let proportion = toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
            sizes[rs] = r + proportion
            added += proportion
        }
        if let first = ordered.first { sizes[first] = max(0, (sizes[first] ?? 0) + toAdd - added) }
        for rs in ordered { setReplicas(rs, sizes[rs] ?? ctx.replicaSet(rs).replicas, for: i, in: ctx) }
        return true
    }

    // MARK: status

    /// `DeploymentComplete`: updated == replicas, status.replicas == replicas, available == replicas.
    private func complete(_ i: Int, in ctx: DeploymentControllerContext) -> Bool {
        let s = status(i, in: ctx)
        let r = deployments[i].object.replicas
        return s.updated == r && s.replicas == r && s.available == r
    }

    func status(_ i: Int, in ctx: DeploymentControllerContext) -> (replicas: Int, updated: Int, ready: Int, available: Int) {
        let (newRS, _) = newAndOldReplicaSets(i, in: ctx)
        var replicas = 0, ready = 0, available = 0
        for rs in deployments[i].replicaSets {
            let s = ctx.replicaSetStatus(rs)
            replicas += s.replicas; ready += s.ready; available += s.available
        }
        return (replicas, newRS.map { ctx.replicaSetStatus($0).replicas } ?? 0, ready, available)
    }

    /// Progress tracking for `progressDeadlineSeconds` and the measurement of rollouts.
    private func syncDeploymentStatus(_ i: Int, in ctx: DeploymentControllerContext) {
        let s = status(i, in: ctx)
        let snapshot = [s.replicas, s.updated, s.ready, s.available]
        if snapshot != deployments[i].lastStatus {
            let old = deployments[i].lastStatus
            // DeploymentProgressing: more updated, fewer old, more ready or more available.
            if old.isEmpty || s.updated > old[1] || (s.replicas - s.updated) < (old[0] - old[1])
                || s.ready > old[2] || s.available > old[3]
            {
                deployments[i].lastProgress = ctx.now
            }
            deployments[i].lastStatus = snapshot
        }
        let complete = complete(i, in: ctx)
        // `syncRolloutStatus`: progress is judged only while the latest rollout has not
        // completed; a scale-up of a complete Deployment (one ReplicaSet, condition
        // NewReplicaSetAvailable) never times out, however long its pods stay Pending.
        let completeDeployment = s.replicas == s.updated && deployments[i].rolloutComplete
        if complete { deployments[i].rolloutComplete = true }
        if let pds = deployments[i].object.progressDeadlineSeconds, !complete, !completeDeployment,
            !deployments[i].progressDeadlineExceeded
        {
            let deadline = deployments[i].lastProgress + .seconds(Int64(pds))
            if ctx.now > deadline {
                deployments[i].progressDeadlineExceeded = true
                ctx.faultsObserveProgressDeadline(i)
            } else {
                if let t = deployments[i].deadlineTimer { ctx.cancelEvent(t) }
                deployments[i].deadlineTimer = ctx.scheduleSync(.deployment(i), at: deadline + .milliseconds(1))
            }
        }
        ctx.faultsObserveDeployment(i, status: s, complete: complete)
    }

    private func cleanupOldReplicaSets(_ i: Int, in ctx: DeploymentControllerContext) {
        let limit = deployments[i].object.revisionHistoryLimit
        let (_, oldRSs) = newAndOldReplicaSets(i, in: ctx)
        let removable = oldRSs.filter { ctx.replicaSet($0).replicas == 0 && ctx.replicaSet($0).pods.isEmpty }
        guard removable.count > limit else { return }
        let drop = Set(removable.prefix(removable.count - limit))
        deployments[i].replicaSets.removeAll { drop.contains($0) }
    }
}

import KubeModel
import SimKernel

/// The Deployment controller (pkg/controller/deployment): one ReplicaSet per pod-template
/// revision, scaled by the rolling-update (rolling.go) or recreate (recreate.go) algorithm,
/// proportional scaling when the Deployment is resized mid-rollout (sync.go), and the
/// progress deadline.
extension ClusterSimulation {
    func createDeployment(_ d: Deployment) {
        let w = addWorkload(name: d.metadata.key, kind: "Deployment", desired: d.replicas)
        deployments.append(SimDeployment(id: deployments.count, object: d, workload: w))
        deployments[deployments.count - 1].templateHash = templateHash(deployments.count - 1)
        enqueueSync(.deployment(deployments.count - 1))
    }

    /// `pod-template-hash`: stands for the template; changes with every new revision.
    func templateHash(_ i: Int) -> String {
        let d = deployments[i]
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in "\(d.object.metadata.key)#\(d.templateGeneration)".utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var s = ""
        for _ in 0..<10 { s.append(alphabet[Int(h % 27)]); h /= 27 }
        return s
    }

    /// Applies a new pod template (a rollout).
    func updateDeploymentTemplate(_ i: Int, image: String?) {
        if let image {
            for c in deployments[i].object.template.spec.containers.indices {
                deployments[i].object.template.spec.containers[c].image = image
            }
        }
        deployments[i].templateGeneration += 1
        deployments[i].templateHash = templateHash(i)
        deployments[i].lastProgress = now
        deployments[i].progressDeadlineExceeded = false
        deployments[i].rolloutComplete = false
        enqueueSync(.deployment(i))
    }

    func scaleDeployment(_ i: Int, to replicas: Int) {
        deployments[i].object.replicas = replicas
        workloads[deployments[i].workload].desired = replicas
        measureDesiredChanged(workload: deployments[i].workload)
        enqueueSync(.deployment(i))
    }

    func newAndOldReplicaSets(_ i: Int) -> (new: Int?, old: [Int]) {
        let hash = deployments[i].templateHash
        let all = deployments[i].replicaSets
        let new = all.first { replicaSets[$0].templateHash == hash }
        return (new, all.filter { $0 != new })  // creation order = oldest first
    }

    func syncDeployment(_ i: Int) {
        let d = deployments[i].object
        guard !d.paused else { return }
        let (newRS, oldRSs) = newAndOldReplicaSets(i)
        let all = oldRSs + (newRS.map { [$0] } ?? [])
        // isScalingEvent: an active ReplicaSet's desired-replicas annotation differs.
        if all.contains(where: { replicaSets[$0].replicas > 0 && replicaSets[$0].desiredAnnotation != d.replicas }) {
            _ = scaleForDeployment(i, newRS: newRS, oldRSs: oldRSs)
            syncDeploymentStatus(i)
            return
        }
        switch d.strategy.type {
        case .RollingUpdate: rolloutRolling(i)
        case .Recreate: rolloutRecreate(i)
        }
        syncDeploymentStatus(i)
    }

    func setReplicas(_ rs: Int, _ replicas: Int, for i: Int) {
        let d = deployments[i].object
        replicaSets[rs].desiredAnnotation = d.replicas
        replicaSets[rs].maxAnnotation = d.replicas + RollingUpdateMath.maxSurge(d)
        scaleReplicaSet(rs, to: replicas)
    }

    func createNewReplicaSet(_ i: Int, replicas: Int) -> Int {
        let d = deployments[i].object
        deployments[i].revision += 1
        let hash = deployments[i].templateHash
        var template = d.template
        template.metadata.labels["pod-template-hash"] = hash
        let rs = newReplicaSet(
            name: "\(d.metadata.name)-\(hash)", namespace: d.metadata.namespace,
            selector: d.selector, template: template, templateHash: hash, replicas: replicas,
            minReadySeconds: d.minReadySeconds, deployment: i, workload: deployments[i].workload,
            revision: deployments[i].revision)
        replicaSets[rs].desiredAnnotation = d.replicas
        replicaSets[rs].maxAnnotation = d.replicas + RollingUpdateMath.maxSurge(d)
        deployments[i].replicaSets.append(rs)
        return rs
    }

    // MARK: rolling update (rolling.go)

    func rolloutRolling(_ i: Int) {
        let d = deployments[i].object
        let surge = RollingUpdateMath.maxSurge(d)
        var (newRS, oldRSs) = newAndOldReplicaSets(i)
        if newRS == nil {
            let allSpec = oldRSs.reduce(0) { $0 + replicaSets[$1].replicas }
            let n = RollingUpdateMath.newRSNewReplicas(
                replicas: d.replicas, maxSurge: surge,
                allSpecReplicas: allSpec, newRSReplicas: 0)
            newRS = createNewReplicaSet(i, replicas: n)
        }
        guard let newRS else { return }
        // reconcileNewReplicaSet
        let newSpec = replicaSets[newRS].replicas
        if newSpec > d.replicas {
            setReplicas(newRS, d.replicas, for: i); return
        }
        if newSpec < d.replicas {
            let allSpec = (oldRSs + [newRS]).reduce(0) { $0 + replicaSets[$1].replicas }
            let target = RollingUpdateMath.newRSNewReplicas(
                replicas: d.replicas, maxSurge: surge,
                allSpecReplicas: allSpec, newRSReplicas: newSpec)
            if target != newSpec { setReplicas(newRS, target, for: i); return }
        }
        // reconcileOldReplicaSets
        if reconcileOldReplicaSets(i, newRS: newRS, oldRSs: oldRSs) { return }
        // A complete Deployment drops old ReplicaSets beyond revisionHistoryLimit.
        if deploymentComplete(i) { cleanupOldReplicaSets(i) }
    }

    func reconcileOldReplicaSets(_ i: Int, newRS: Int, oldRSs: [Int]) -> Bool {
        let d = deployments[i].object
        let oldSpec = oldRSs.reduce(0) { $0 + replicaSets[$1].replicas }
        guard oldSpec > 0 else { return false }
        let allSpec = oldSpec + replicaSets[newRS].replicas
        let maxUnavailable = RollingUpdateMath.maxUnavailable(d)
        let maxScaledDown = RollingUpdateMath.maxScaledDown(
            allSpecReplicas: allSpec, replicas: d.replicas, maxUnavailable: maxUnavailable,
            newRSSpecReplicas: replicaSets[newRS].replicas, newRSAvailable: replicaSetStatus(newRS).available)
        guard maxScaledDown > 0 else { return false }
        // cleanupUnhealthyReplicas: unavailable old pods go first, oldest set first.
        var cleaned = 0
        for rs in oldRSs {
            if cleaned >= maxScaledDown { break }
            let spec = replicaSets[rs].replicas
            let available = replicaSetStatus(rs).available
            if spec == 0 || spec == available { continue }
            let n = min(maxScaledDown - cleaned, spec - available)
            setReplicas(rs, spec - n, for: i)
            cleaned += n
        }
        // scaleDownOldReplicaSetsForRollingUpdate: keep replicas − maxUnavailable available.
        let minAvailable = d.replicas - maxUnavailable
        let available = (oldRSs + [newRS]).reduce(0) { $0 + replicaSetStatus($1).available }
        var scaled = 0
        if available > minAvailable {
            let total = available - minAvailable
            for rs in oldRSs {
                if scaled >= total { break }
                let spec = replicaSets[rs].replicas
                if spec == 0 { continue }
                let n = min(spec, total - scaled)
                setReplicas(rs, spec - n, for: i)
                scaled += n
            }
        }
        return cleaned + scaled > 0
    }

    // MARK: recreate (recreate.go)

    func rolloutRecreate(_ i: Int) {
        let d = deployments[i].object
        var (newRS, oldRSs) = newAndOldReplicaSets(i)
        var scaledDown = false
        for rs in oldRSs where replicaSets[rs].replicas > 0 { setReplicas(rs, 0, for: i); scaledDown = true }
        if scaledDown { return }
        // Wait until no old pod exists at all (terminating ones included).
        if oldRSs.contains(where: { !replicaSets[$0].pods.isEmpty }) { return }
        if newRS == nil { newRS = createNewReplicaSet(i, replicas: 0) }
        if let newRS, replicaSets[newRS].replicas != d.replicas { setReplicas(newRS, d.replicas, for: i) }
    }

    // MARK: scaling (sync.go `scale`)

    /// Returns whether it scaled something.
    func scaleForDeployment(_ i: Int, newRS: Int?, oldRSs: [Int]) -> Bool {
        let d = deployments[i].object
        let all = oldRSs + (newRS.map { [$0] } ?? [])
        let active = all.filter { replicaSets[$0].replicas > 0 }
        // FindActiveOrLatest
        let activeOrLatest: Int? = active.count == 1 ? active[0] : (active.isEmpty ? (newRS ?? oldRSs.last) : nil)
        if let rs = activeOrLatest {
            if replicaSets[rs].replicas == d.replicas {
                replicaSets[rs].desiredAnnotation = d.replicas
                replicaSets[rs].maxAnnotation = d.replicas + RollingUpdateMath.maxSurge(d)
                return false
            }
            setReplicas(rs, d.replicas, for: i)
            return true
        }
        if let newRS, replicaSetStatus(newRS).available == d.replicas, replicaSets[newRS].replicas == d.replicas {
            for rs in oldRSs where replicaSets[rs].replicas > 0 { setReplicas(rs, 0, for: i) }
            return true
        }
        guard d.strategy.type == .RollingUpdate else { return false }
        let surge = RollingUpdateMath.maxSurge(d)
        let current = active.reduce(0) { $0 + replicaSets[$1].replicas }
        let toAdd = d.replicas + surge - current
        // Larger sets first; on a tie the newer first when scaling up, the older when down.
        let ordered = active.sorted { a, b in
            let ra = replicaSets[a].replicas, rb = replicaSets[b].replicas
            if ra != rb { return ra > rb }
            return toAdd > 0 ? a > b : a < b
        }
        let statusReplicas = active.reduce(0) { $0 + replicaSetStatus($1).replicas }
        var added = 0
        var sizes: [Int: Int] = [:]
        for rs in ordered {
            let r = replicaSets[rs].replicas
            guard toAdd != 0, r != 0, toAdd != added else { sizes[rs] = r; continue }
            let fraction = RollingUpdateMath.replicaSetFraction(
                rsReplicas: r, deploymentReplicas: d.replicas, maxSurge: surge,
                annotatedMaxReplicas: replicaSets[rs].maxAnnotation, statusReplicas: statusReplicas)
            let allowed = toAdd - added
            let proportion = toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
            sizes[rs] = r + proportion
            added += proportion
        }
        if let first = ordered.first { sizes[first] = max(0, (sizes[first] ?? 0) + toAdd - added) }
        for rs in ordered { setReplicas(rs, sizes[rs] ?? replicaSets[rs].replicas, for: i) }
        return true
    }

    // MARK: status

    /// `DeploymentComplete`: updated == replicas, status.replicas == replicas, available == replicas.
    func deploymentComplete(_ i: Int) -> Bool {
        let s = deploymentStatus(i)
        let r = deployments[i].object.replicas
        return s.updated == r && s.replicas == r && s.available == r
    }

    func deploymentStatus(_ i: Int) -> (replicas: Int, updated: Int, ready: Int, available: Int) {
        let (newRS, _) = newAndOldReplicaSets(i)
        var replicas = 0, ready = 0, available = 0
        for rs in deployments[i].replicaSets {
            let s = replicaSetStatus(rs)
            replicas += s.replicas; ready += s.ready; available += s.available
        }
        return (replicas, newRS.map { replicaSetStatus($0).replicas } ?? 0, ready, available)
    }

    /// Progress tracking for `progressDeadlineSeconds` and the measurement of rollouts.
    func syncDeploymentStatus(_ i: Int) {
        let s = deploymentStatus(i)
        let snapshot = [s.replicas, s.updated, s.ready, s.available]
        if snapshot != deployments[i].lastStatus {
            let old = deployments[i].lastStatus
            // DeploymentProgressing: more updated, fewer old, more ready or more available.
            if old.isEmpty || s.updated > old[1] || (s.replicas - s.updated) < (old[0] - old[1])
                || s.ready > old[2] || s.available > old[3]
            {
                deployments[i].lastProgress = now
            }
            deployments[i].lastStatus = snapshot
        }
        let complete = deploymentComplete(i)
        // `syncRolloutStatus`: progress is judged only while the latest rollout has not
        // completed; a scale-up of a complete Deployment (one ReplicaSet, condition
        // NewReplicaSetAvailable) never times out, however long its pods stay Pending.
        let completeDeployment = s.replicas == s.updated && deployments[i].rolloutComplete
        if complete { deployments[i].rolloutComplete = true }
        if let pds = deployments[i].object.progressDeadlineSeconds, !complete, !completeDeployment,
            !deployments[i].progressDeadlineExceeded
        {
            let deadline = deployments[i].lastProgress + .seconds(Int64(pds))
            if now > deadline {
                deployments[i].progressDeadlineExceeded = true
                faultsObserveProgressDeadline(i)
            } else {
                if let t = deployments[i].deadlineTimer { engine.cancel(t) }
                deployments[i].deadlineTimer = engine.schedule(.sync(.deployment(i)), at: deadline + .milliseconds(1))
            }
        }
        faultsObserveDeployment(i, status: s, complete: complete)
    }

    func cleanupOldReplicaSets(_ i: Int) {
        let limit = deployments[i].object.revisionHistoryLimit
        let (_, oldRSs) = newAndOldReplicaSets(i)
        let removable = oldRSs.filter { replicaSets[$0].replicas == 0 && replicaSets[$0].pods.isEmpty }
        guard removable.count > limit else { return }
        let drop = Set(removable.prefix(removable.count - limit))
        deployments[i].replicaSets.removeAll { drop.contains($0) }
    }
}

import KubeModel
import SimKernel

/// The kubelet on each node: pod admission, serialized image pulls (`serializeImagePulls`
/// true), container start, readiness probing, graceful termination, and what a machine crash
/// and reboot do to all of that. Its node Lease is in `KubeletLease.swift`.
extension ClusterSimulation {
    // MARK: machine

    /// The machine stops: no more lease renewals, every container on it is gone. The API
    /// still shows the node Ready and its pods Ready until the node lifecycle controller
    /// notices; measurement counts those pods as not serving from now on.
    func crashNode(_ n: Int) {
        guard nodes[n].up else { return }
        haltMachine(n)
        if serverNodes.contains(n) { etcdMembershipChanged(); controlPlaneAvailabilityChanged() }
        noteAPIAvailability()
    }

    /// The machine is off: lease renewals, image pulls and every container stop. What that
    /// does to etcd and the control plane is for the caller, which knows whether the
    /// services stopped in order first.
    func haltMachine(_ n: Int) {
        store.update(node: n) { node in
            node.up = false
            node.epoch += 1
        }
        stopDerivedLease(n)
        if let t = kubelet.nodes[n].leaseTimer { engine.cancel(t) }
        kubelet.nodes[n].leaseTimer = nil
        imagePulls[n].queue.removeAll()
        imagePulls[n].pulling = false
        for id in nodes[n].pods.sorted() {
            guard pods[id] != nil else { continue }
            store.update(pod: id) { $0.running = false }
            let generation = kubelet.pod(id).generation
            kubelet.pods[id] = KubeletPodState(generation: generation + 1)
            if case .pgCluster(let c, _) = pods[id]?.owner { cnpgOperator.instanceStopped(cluster: c, in: self) }
        }
    }

    /// Switches a crashed machine back on; the kubelet is up after `nodeBootTime`.
    func powerOnNode(_ n: Int) {
        guard !nodes[n].up, !nodes[n].serverDeleted else { return }
        engine.schedule(.kubelet(.nodeBooted(node: n, epoch: nodes[n].epoch)), after: params.nodeBootTime)
    }

    func nodeBooted(node n: Int, epoch: Int) {
        guard !nodes[n].up, nodes[n].epoch == epoch else { return }
        k3sService.shutDown.remove(n)
        store.update(node: n) { $0.up = true }
        renewLease(node: n, epoch: epoch)
        // The kubelet posts its node status with Ready=True once the runtime is up, if an API
        // server can write it; else its status loop posts it once one can.
        // (A node the controller could not mark, because no controller-manager ran, still
        // shows Ready: there is nothing to post.)
        if canWrite(from: n) || nodes[n].ready == .isTrue {
            setNodeReady(n, .isTrue)
            faultsObserveNodeReady(n)
        } else {
            requestNodeStatusSync(n)
        }
        if serverNodes.contains(n) { etcdMembershipChanged(); controlPlaneAvailabilityChanged() }
        noteAPIAvailability()
        if nodes[n].deleted {
            // The kubelet registers its Node again.
            store.update(node: n) { node in
                node.deleted = false
                node.deletedAt = nil
            }
        }
        for id in nodes[n].pods.sorted() {
            store.update(pod: id) { $0.statusRunning = false }  // the kubelet reports what really runs
            guard let pod = pods[id] else { continue }
            if pod.isTerminating {
                // Its containers died with the machine: the kubelet finishes the deletion.
                removePod(id)
            } else if jobPodFailedByReboot(id) {
                continue
            } else {
                // RestartPolicy Always: containers are started again (images are still on disk).
                setPodReady(id, false)
                engine.schedule(.kubelet(.admit(pod: id, generation: kubelet.pod(id).generation)), after: params.apiLatency)
            }
        }
    }

    // MARK: pod start-up

    func kubeletAdmit(pod id: Int, generation: Int) {
        guard let pod = pods[id], kubelet.pod(id).generation == generation, let n = pod.node, nodes[n].up,
            kubelet.pod(id).admittedEpoch == nil
        else { return }
        if pod.isTerminating { removePod(id); return }
        kubelet.pods[id, default: KubeletPodState()].admittedEpoch = nodes[n].epoch
        // The prober worker starts with the pod and ticks every periodSeconds from here.
        kubelet.pods[id, default: KubeletPodState()].probeGridStart = now
        // Volumes first: attached by the attach/detach controller, then mounted.
        if attachDetach.requestAttach(pod, on: n, in: self) { continueAdmission(id) }
    }

    /// Image pulls and container start, once the pod's volumes are attached.
    func continueAdmission(_ id: Int) {
        guard let pod = pods[id], let n = pod.node, nodes[n].up, !pod.isTerminating, !pod.running,
            !kubelet.pod(id).startRequested
        else { return }
        var missing: [String] = []
        for image in pod.spec.images where !hasImage(image, on: n) && !missing.contains(image) {
            missing.append(image)
        }
        kubelet.pods[id, default: KubeletPodState()].startRequested = true
        kubelet.pods[id, default: KubeletPodState()].imagesPending = missing.count
        if missing.isEmpty {
            startContainers(id)
        } else {
            for image in missing { imagePulls[n].queue.append((id, image)) }
            startNextPull(node: n)
        }
    }

    func startNextPull(node n: Int) {
        while !imagePulls[n].pulling, let head = imagePulls[n].queue.first {
            if hasImage(head.image, on: n) {
                // Pulled meanwhile for another pod: nothing to fetch.
                imagePulls[n].queue.removeFirst()
                imageReady(pod: head.pod)
                continue
            }
            guard let pod = pods[head.pod], !pod.isTerminating else {
                imagePulls[n].queue.removeFirst()
                continue
            }
            imagePulls[n].pulling = true
            let seconds = draw("node/\(nodes[n].name)", "image-pull", timing(for: pod).imagePull)
            engine.schedule(.kubelet(.imagePulled(node: n, epoch: nodes[n].epoch)), after: .fromSeconds(seconds))
        }
    }

    func imagePulled(node n: Int, epoch: Int) {
        guard nodes[n].epoch == epoch, imagePulls[n].pulling, let head = imagePulls[n].queue.popFirst() else { return }
        imagePulls[n].pulling = false
        imagePresent(head.image, on: n)
        imageReady(pod: head.pod)
        startNextPull(node: n)
    }

    func imageReady(pod id: Int) {
        guard pods[id] != nil, kubelet.pod(id).imagesPending > 0 else { return }
        kubelet.pods[id, default: KubeletPodState()].imagesPending -= 1
        if kubelet.pod(id).imagesPending == 0 { startContainers(id) }
    }

    func startContainers(_ id: Int) {
        guard let pod = pods[id], !pod.isTerminating else { return }
        // Without a container runtime nothing starts; `containerRuntimeUp` admits it again.
        if let n = pod.node, kubeletStatus.runtimeDown.contains(n) { return }
        let seconds = draw(
            "workload/\(workloads[pod.workload].name)", "container-start",
            timing(for: pod).containerStart)
        engine.schedule(
            .kubelet(.containerStarted(pod: id, generation: kubelet.pod(id).generation)), after: .fromSeconds(seconds))
    }

    func containerStarted(pod id: Int, generation: Int) {
        guard pods[id]?.isTerminating == false, kubelet.pod(id).generation == generation else { return }
        store.update(pod: id) { pod in
            pod.running = true
            pod.statusRunning = true
        }
        let pod = pods[id]!
        let t = timing(for: pod)
        let appReadyAt = now + .fromSeconds(draw("workload/\(workloads[pod.workload].name)", "app-ready", t.appReady))
        let readyAt = readinessTime(pod: pod, startedAt: now, appReadyAt: appReadyAt)
        // The status manager posts the Ready condition; watchers see it after apiLatency.
        engine.schedule(.kubelet(.podReady(pod: id, generation: generation)), at: readyAt + params.apiLatency)
        containerRestarts.containerStarted(id, in: self)
        jobPodContainerStarted(id)
    }

    /// When the pod turns Ready (pkg/kubelet/prober/worker.go): without a readiness probe, as
    /// soon as the container runs. With one, probes run at probeGridStart + k·periodSeconds;
    /// a probe counts once `initialDelaySeconds` have passed since the container started and
    /// succeeds once the application answers; Ready after `successThreshold` successes in a
    /// row. A startup probe gates readiness probing until it has succeeded once.
    func readinessTime(pod: SimPod, startedAt: SimTime, appReadyAt: SimTime) -> SimTime {
        var earliest = startedAt
        if let startup = pod.spec.containers.lazy.compactMap(\.startupProbe).first {
            let from = max(startedAt + .seconds(Int64(startup.initialDelaySeconds)), appReadyAt)
            earliest =
                TickGrid(start: kubelet.pod(pod.id).probeGridStart, period: .seconds(Int64(startup.periodSeconds))).next(
                    atOrAfter: from)
                + .seconds(Int64(startup.periodSeconds)) * Int64(startup.successThreshold - 1)
        }
        guard let probe = pod.spec.readinessProbe else { return earliest }
        let period = SimTime.seconds(Int64(probe.periodSeconds))
        let from = max(earliest, startedAt + .seconds(Int64(probe.initialDelaySeconds)), appReadyAt)
        return TickGrid(start: kubelet.pod(pod.id).probeGridStart, period: period).next(atOrAfter: from) + period
            * Int64(probe.successThreshold - 1)
    }

    func probeSucceeded(pod id: Int, generation: Int) {
        guard let pod = pods[id], kubelet.pod(id).generation == generation, pod.running, !pod.isTerminating else { return }
        kubelet.pods[id, default: KubeletPodState()].probedReady = true
        if let n = pod.node, !canWrite(from: n) {
            // The status update waits until the kubelet reaches an API server that can write.
            controlPlane.deferredWrites.append(.kubelet(.podReady(pod: id, generation: generation)))
            return
        }
        setPodReady(id, true)
    }

    // MARK: termination

    /// The kubelet reaches an API server again after its writes failed: its watch relists,
    /// so it sees the pods deleted meanwhile and stops them.
    func kubeletReconnected(_ n: Int) {
        for id in nodes[n].pods.sorted() where pods[id]?.isTerminating == true { kubeletPodDeleted(id) }
    }

    /// The container runtime answers again: the kubelet stops the pods deleted meanwhile,
    /// starts those it could not start, and reports Ready=True at its next status sync.
    func containerRuntimeUp(_ n: Int) {
        guard kubeletStatus.runtimeDown.remove(n) != nil else { return }
        for id in nodes[n].pods.sorted() {
            guard let pod = pods[id] else { continue }
            if pod.isTerminating {
                kubeletPodDeleted(id)
            } else if !pod.running {
                kubelet.pods[id] = KubeletPodState(generation: kubelet.pod(id).generation + 1)
                engine.schedule(.kubelet(.admit(pod: id, generation: kubelet.pod(id).generation)), after: params.apiLatency)
            }
        }
        requestNodeStatusSync(n)
    }

    /// A pod got a deletionTimestamp. On a live node the kubelet sends SIGTERM and the
    /// containers exit within the grace period; on a dead node nothing happens until it
    /// comes back.
    func kubeletPodDeleted(_ id: Int) {
        guard let pod = pods[id], let n = pod.node else { return }
        // A kubelet that cannot reach an API server does not see the deletion, and without a
        // container runtime it cannot stop anything: the pod runs on until it reconnects
        // (`kubeletReconnected`) or the runtime is back (`containerRuntimeUp`).
        guard nodes[n].up, canWrite(from: n), !kubeletStatus.runtimeDown.contains(n) else { return }
        kubelet.pods[id, default: KubeletPodState()].generation += 1
        let generation = kubelet.pod(id).generation
        if pod.running {
            let shutdown = draw("workload/\(workloads[pod.workload].name)", "shutdown", timing(for: pod).shutdown)
            let stopAfter = Termination.exitAfter(
                preStopSleepSeconds: Termination.preStopSleep(pod.spec),
                shutdown: .fromSeconds(shutdown), grace: pod.gracePeriod)
            engine.schedule(.kubelet(.containerStopped(pod: id, generation: generation)), after: stopAfter)
        } else {
            engine.schedule(.kubelet(.containerStopped(pod: id, generation: generation)), after: params.apiLatency)
        }
    }

    func containerStopped(pod id: Int, generation: Int) {
        guard pods[id] != nil, kubelet.pod(id).generation == generation else { return }
        store.update(pod: id) { pod in
            pod.running = false
            pod.statusRunning = false
        }
        kubelet.pods[id]?.probedReady = false
        // The kubelet deletes the object (grace period 0) once the containers are gone.
        removePod(id)
    }

    // MARK: timing

    func timing(for pod: SimPod) -> (
        imagePull: Distribution, containerStart: Distribution,
        appReady: Distribution, shutdown: Distribution
    ) {
        let d = PodTimingRule.self
        var pull: Distribution?, start: Distribution?, app: Distribution?, stop: Distribution?
        for rule in spec.timing where rule.selector.matches(pod.labels) {
            pull = pull ?? rule.imagePull
            start = start ?? rule.containerStart
            app = app ?? rule.appReady
            stop = stop ?? rule.shutdown
        }
        return (pull ?? d.defaultImagePull, start ?? d.defaultContainerStart, app ?? d.defaultAppReady, stop ?? d.defaultShutdown)
    }

    /// A sample from the stream (entity, purpose), drawn in sequence.
    func draw(_ entity: String, _ purpose: String, _ distribution: Distribution) -> Double {
        drawInSequence(entity, purpose) { max(0, distribution.sample(&$0)) }
    }
}

extension ClusterSimulation {
    /// The image size assumption for a pod's images (ImageLocality).
    func imageSize(for pod: SimPod) -> Int64 {
        for rule in spec.timing where rule.selector.matches(pod.labels) {
            if let s = rule.imageSizeBytes { return s }
        }
        return PodTimingRule.defaultImageSizeBytes
    }

    /// Records an image as present on a node (names normalised as the scheduler compares them).
    func imagePresent(_ image: String, on n: Int) {
        let name = ImageLocality.normalized(image)
        guard !nodes[n].images.contains(name) else { return }
        store.update(node: n) { node in
            node.images.insert(name)
            node.imageCount += 1
        }
        imageNodeCount[name, default: 0] += 1
    }

    func hasImage(_ image: String, on n: Int) -> Bool { nodes[n].images.contains(ImageLocality.normalized(image)) }
}

extension ClusterSimulation {
    func handle(_ event: KubeletEvent) {
        switch event {
        case .leaseRenew(let n, let epoch), .leaseRetry(let n, let epoch): renewLease(node: n, epoch: epoch)
        case .nodeBooted(let n, let epoch): nodeBooted(node: n, epoch: epoch)
        case .started(let n, let epoch): kubeletStarted(node: n, epoch: epoch)
        case .admit(let p, let g): kubeletAdmit(pod: p, generation: g)
        case .imagePulled(let n, let epoch): imagePulled(node: n, epoch: epoch)
        case .containerStarted(let p, let g): containerStarted(pod: p, generation: g)
        case .podReady(let p, let g): probeSucceeded(pod: p, generation: g)
        case .containerStopped(let p, let g): containerStopped(pod: p, generation: g)
        case .jobPodExited(let p, let g, let failed): jobPodExited(pod: p, generation: g, failed: failed)
        case .nodeStatusSync(let n, let epoch): nodeStatusSync(node: n, epoch: epoch)
        case .podStatusSync(let n, let epoch): podStatusSync(node: n, epoch: epoch)
        }
    }
}

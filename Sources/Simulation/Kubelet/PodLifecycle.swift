import KubeModel
import SimKernel

/// A pod's start on its node: admission, volumes, serialized image pulls
/// (`serializeImagePulls` true), container start and readiness probing.
extension Kubelet {
    func admit<C: KubeletContext>(pod id: PodID, generation: Int, in ctx: C) {
        guard let pod = ctx.pods[id], self.pod(id).generation == generation, let n = pod.node, ctx.nodes[n].up,
            self.pod(id).admittedEpoch == nil
        else { return }
        if pod.isTerminating { ctx.removePod(id); return }
        // The prober worker starts with the pod and ticks every periodSeconds from here.
        markAdmitted(id, epoch: machineEpoch(n), at: ctx.now)
        // Volumes first: attached by the attach/detach controller, then mounted.
        if ctx.requestAttach(pod, on: n) { continueAdmission(id, in: ctx) }
    }

    /// Image pulls and container start, once the pod's volumes are attached.
    func continueAdmission<C: KubeletContext>(_ id: PodID, in ctx: C) {
        guard let pod = ctx.pods[id], let n = pod.node, ctx.nodes[n].up, !pod.isTerminating, !pod.running,
            !self.pod(id).startRequested
        else { return }
        var missing: [String] = []
        for image in pod.spec.images where !ctx.hasImage(image, on: n) && !missing.contains(image) {
            missing.append(image)
        }
        markStartRequested(id, imagesPending: missing.count)
        if missing.isEmpty {
            startContainers(id, in: ctx)
        } else {
            for image in missing { queuePull(n, pod: id, image: image) }
            startNextPull(node: n, in: ctx)
        }
    }

    func startNextPull<C: KubeletContext>(node n: Int, in ctx: C) {
        while !nodes[n].pulling, let head = nodes[n].pullQueue.first {
            if ctx.hasImage(head.image, on: n) {
                // Pulled meanwhile for another pod: nothing to fetch.
                dequeuePull(n)
                imageReady(pod: head.pod, in: ctx)
                continue
            }
            guard let pod = ctx.pods[head.pod], !pod.isTerminating else {
                dequeuePull(n)
                continue
            }
            setPulling(n, true)
            let seconds = ctx.draw("node/\(ctx.nodes[n].name)", "image-pull", ctx.timing(for: pod).imagePull)
            ctx.schedule(.imagePulled(node: n, epoch: machineEpoch(n)), after: .fromSeconds(seconds))
        }
    }

    func imagePulled<C: KubeletContext>(node n: Int, epoch: Int, in ctx: C) {
        guard machineEpoch(n) == epoch, nodes[n].pulling, let head = dequeuePull(n) else { return }
        setPulling(n, false)
        ctx.imagePresent(head.image, on: n)
        imageReady(pod: head.pod, in: ctx)
        startNextPull(node: n, in: ctx)
    }

    func imageReady<C: KubeletContext>(pod id: PodID, in ctx: C) {
        guard ctx.pods[id] != nil, pod(id).imagesPending > 0 else { return }
        if imageArrived(id) == 0 { startContainers(id, in: ctx) }
    }

    func startContainers<C: KubeletContext>(_ id: PodID, in ctx: C) {
        guard let pod = ctx.pods[id], !pod.isTerminating else { return }
        // Without a container runtime nothing starts; `containerRuntimeUp` admits it again.
        if let n = pod.node, status.runtimeDown.contains(n) { return }
        let seconds = ctx.draw(
            "workload/\(ctx.workloadName(pod.workload))", "container-start", ctx.timing(for: pod).containerStart)
        ctx.schedule(.containerStarted(pod: id, generation: self.pod(id).generation), after: .fromSeconds(seconds))
    }

    func containerStarted<C: KubeletContext>(pod id: PodID, generation: Int, in ctx: C) {
        guard ctx.pods[id]?.isTerminating == false, self.pod(id).generation == generation else { return }
        ctx.store.update(pod: id) { pod in
            pod.running = true
            pod.statusRunning = true
        }
        guard let pod = ctx.pods[id] else { return }
        let t = ctx.timing(for: pod)
        let appReadyAt =
            ctx.now + .fromSeconds(ctx.draw("workload/\(ctx.workloadName(pod.workload))", "app-ready", t.appReady))
        let readyAt = readinessTime(pod: pod, startedAt: ctx.now, appReadyAt: appReadyAt)
        // The status manager posts the Ready condition; watchers see it after apiLatency.
        ctx.schedule(.podReady(pod: id, generation: generation), at: readyAt + ctx.params.apiLatency)
        ctx.containerRestartsObserveStart(id)
        jobPodContainerStarted(id, in: ctx)
    }

    /// When the pod turns Ready (pkg/kubelet/prober/worker.go): without a readiness probe, as soon
    /// as the container runs.
    ///
    /// With one, probes run at probeGridStart + k·periodSeconds; a probe counts once
    /// `initialDelaySeconds` have passed since the container started and succeeds once the
    /// application answers; Ready after `successThreshold` successes in a row. A startup probe
    /// gates readiness probing until it has succeeded once.
    func readinessTime(pod: SimPod, startedAt: SimTime, appReadyAt: SimTime) -> SimTime {
        let gridStart = self.pod(pod.id).probeGridStart
        var earliest = startedAt
        if let startup = pod.spec.containers.lazy.compactMap(\.startupProbe).first {
            let from = max(startedAt + .seconds(Int64(startup.initialDelaySeconds)), appReadyAt)
            earliest =
                TickGrid(start: gridStart, period: .seconds(Int64(startup.periodSeconds))).next(atOrAfter: from)
                + .seconds(Int64(startup.periodSeconds)) * Int64(startup.successThreshold - 1)
        }
        guard let probe = pod.spec.readinessProbe else { return earliest }
        let period = SimTime.seconds(Int64(probe.periodSeconds))
        let from = max(earliest, startedAt + .seconds(Int64(probe.initialDelaySeconds)), appReadyAt)
        return TickGrid(start: gridStart, period: period).next(atOrAfter: from) + period
            * Int64(probe.successThreshold - 1)
    }

    func probeSucceeded<C: KubeletContext>(pod id: PodID, generation: Int, in ctx: C) {
        guard let pod = ctx.pods[id], self.pod(id).generation == generation, pod.running, !pod.isTerminating else {
            return
        }
        markProbedReady(id)
        if let n = pod.node, !ctx.canWrite(from: n) {
            // The status update waits until the kubelet reaches an API server that can write.
            ctx.deferUntilWritable(.podReady(pod: id, generation: generation))
            return
        }
        ctx.setPodReady(id, true)
    }
}

import KubeModel
import SimKernel

/// A Job pod on its node: the kubelet runs its container for the `runDuration` of the timing
/// rules from the moment it starts, then the container exits — non-zero with the rules'
/// `failureProbability`. restartPolicy OnFailure restarts a failed container in place with
/// the CrashLoopBackOff wait (`ContainerRestarts`), and those restarts count toward the Job's
/// backoffLimit; otherwise the pod's phase becomes Succeeded or Failed and it stops taking
/// room: the scheduler drops a pod in a terminal phase from its cache
/// (pkg/scheduler/eventhandlers.go `updatePodInCache` deletes it once `podutil.IsPodTerminal`),
/// so NodeResourcesFit no longer counts its requests. The finished pod's object is not kept
/// here (upstream keeps it until the Job goes); nothing in the simulation reads it.
extension ClusterSimulation {
    /// The kubelet's hook after a Job pod's container started: when it will exit, and how.
    func jobPodContainerStarted(_ id: Int) {
        guard let pod = pods[id], case .job = pod.owner else { return }
        let (run, failureProbability) = jobRunTiming(for: pod)
        let entity = "workload/\(workloads[pod.workload].name)"
        let seconds = draw(entity, "run-duration", run)
        let failed = failureProbability > 0 && draw(entity, "run-outcome", .uniform(min: 0, max: 1)) < failureProbability
        engine.schedule(
            .kubelet(.jobPodExited(pod: id, generation: kubelet.pod(id).generation, failed: failed)), after: .fromSeconds(seconds)
        )
    }

    func jobPodExited(pod id: Int, generation: Int, failed: Bool) {
        guard let pod = pods[id], kubelet.pod(id).generation == generation, pod.running, !pod.isTerminating else { return }
        if failed, pod.spec.restartPolicy == "OnFailure" {
            containerRestarts.crash(id, count: 1, in: self)
            return
        }
        kubelet.pods[id, default: KubeletPodState()].generation += 1
        store.update(pod: id) { p in
            p.running = false
            p.statusRunning = false
        }
        setPodReady(id, false)
        let exitCode = PodTimingRule.jobRun(labels: pod.labels, rules: spec.timing).exitCode
        jobController.podFinished(id, succeeded: !failed, exitCode: exitCode, in: self)
        removePod(id)
    }

    func jobRunTiming(for pod: SimPod) -> (run: Distribution, failureProbability: Double) {
        let r = PodTimingRule.jobRun(labels: pod.labels, rules: spec.timing)
        return (r.run, r.failureProbability)
    }
}

extension PodTimingRule {
    /// A Job pod's run, failure chance and a failed run's exit code: per field, the first rule
    /// matching the pod's labels that sets it, else the defaults. The simulation's kubelet and the planner's peak demand
    /// read the same assumption.
    public static func jobRun(labels: [String: String], rules: [PodTimingRule]) -> (
        run: Distribution, failureProbability: Double, exitCode: Int32
    ) {
        var run: Distribution?, failure: Double?, code: Int32?
        for rule in rules where rule.selector.matches(labels) {
            run = run ?? rule.runDuration
            failure = failure ?? rule.failureProbability
            code = code ?? rule.exitCode
        }
        return (run ?? defaultRunDuration, failure ?? defaultFailureProbability, code ?? defaultExitCode)
    }
}

extension ClusterSimulation: JobControllerContext {
    func schedule(_ event: JobEvent, at time: SimTime) { engine.schedule(.job(event), at: time) }

    func informerLatency() -> SimTime { params.apiLatency }

    func addJobWorkload(name: String) -> WorkloadID { addWorkload(name: name, kind: "Job", desired: 0) }

    func createJobPod(_ job: SimJob, name: String, labels: [String: String], owner: PodOwner) -> Int? {
        let spec = job.spec.template.spec
        if refusedByAdmission(
            spec, namespace: job.namespace, podName: name, owner: "Job \(job.key)",
            event: { "Error creating: \($0)" })
        {
            return nil
        }
        return createPod(name: name, namespace: job.namespace, labels: labels, spec: spec, owner: owner, workload: job.workload)
    }

    func generatedSuffix(for job: String) -> String {
        // apimachinery's rand.String alphabet: no vowels, no confusable digits.
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return drawInSequence("job/\(job)", "pod-names") { rng in
            String((0..<5).map { _ in alphabet[Int(rng.nextUnit() * Double(alphabet.count)) % alphabet.count] })
        }
    }

    func containerRestartCount(_ pod: Int) -> Int { containerRestarts.restarts(pod) }

    func jobFinished(_ job: Int) {
        if let c = jobController.jobs[job].cronJob { cronJobController.jobFinished(job, cronJob: c, in: self) }
    }
}

extension ClusterSimulation {
    /// The machine under a Job pod restarted: a container of restartPolicy Never is not
    /// started again, so the kubelet reports the pod Failed (OnFailure pods start again like
    /// any other). Returns whether the pod ended.
    func jobPodFailedByReboot(_ id: Int) -> Bool {
        guard let pod = pods[id], case .job = pod.owner, pod.spec.restartPolicy == "Never" else { return false }
        setPodReady(id, false)
        jobController.podFinished(id, succeeded: false, lost: true, in: self)
        removePod(id)
        return true
    }
}
